using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary>The communicator and environment detection under a real mpirun with 2 ranks on localhost.</summary>
[Trait("Category", "mpi")]
[Collection(MpiCollection.Name)]
public sealed class MpiCommunicatorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [SkippableFact]
    public void Mpirun_ranks_detect_their_environment_and_mpi_agrees_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        var r = MpiRun.Ranks(2, Limit, "env");
        output.WriteLine(r.Output);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Contains("env rank=0 size=2 local=0 kind=Mpi mpi_rank=0 mpi_size=2 comm=MpiCommunicator", r.Output);
        Assert.Contains("env rank=1 size=2 local=1 kind=Mpi mpi_rank=1 mpi_size=2 comm=MpiCommunicator", r.Output);
    }

    [SkippableFact]
    public void Allreduce_broadcast_and_barrier_give_the_right_values_on_every_rank_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        var r = MpiRun.Ranks(2, Limit, "collectives");
        output.WriteLine(r.Output);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Matches(@"flavour=(OpenMpi|Mpich) name=\S", r.Output);
        string[] checks =
        [
            "allreduce_sum_float", "allreduce_sum_double", "allreduce_max_float", "allreduce_max_double",
            "broadcast_float_root0", "broadcast_double_root0", "broadcast_bytes_root0",
            "broadcast_float_root1", "broadcast_double_root1", "broadcast_bytes_root1", "allgather_float", "allgather_double", "chunked", "barrier",
        ];
        foreach (var c in checks) Assert.Contains($"ok {c}{Environment.NewLine}", r.Output);
    }

    [SkippableFact]
    public void One_rank_killed_with_sigkill_ends_the_whole_job_non_zero_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        // A liveness guard, not a timing: the job must end by itself well before the probe's own
        // 120 s give-up, and with a failure code.
        var r = MpiRun.Ranks(2, TimeSpan.FromSeconds(90), "die");
        output.WriteLine($"exit {r.ExitCode} after {r.Elapsed.TotalSeconds:F1} s\n{r.Output}");
        Assert.False(r.TimedOut, "the job was still running after 90 s: a dead rank left the other hanging");
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(60), $"the job took {r.Elapsed.TotalSeconds:F0} s to end after a rank died");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("rank 0: round 100", r.Output);      // rank 0 was mid-run
        Assert.Contains("rank 1: SIGKILL to myself", r.Output);
        Assert.Contains("exited on signal 9", r.Output);      // mpirun saw the kill and ended the job
        Assert.DoesNotContain("still running after 120 s", r.Output);
    }

    [SkippableFact]
    public void Under_mpich_the_library_follows_the_launcher_and_the_collectives_are_right_or_says_mpich_is_missing()
    {
        if (MpiRun.MpichMissing(output)) return;
        var r = MpiRun.MpichRanks(2, Limit, "collectives");
        output.WriteLine(r.Output);
        Assert.True(r.ExitCode == 0, r.Output);
        Assert.Matches(@"flavour=Mpich name=MPICH Version:\s+\d", r.Output);
        foreach (var c in new[] { "allreduce_sum_float", "allreduce_sum_double", "allreduce_max_float", "allreduce_max_double", "broadcast_bytes_root1", "allgather_float", "allgather_double", "chunked", "barrier" })
            Assert.Contains($"ok {c}{Environment.NewLine}", r.Output);
    }
}
