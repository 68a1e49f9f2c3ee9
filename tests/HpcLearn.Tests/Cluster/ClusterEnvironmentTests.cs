using HpcLearn.Cluster;
using Xunit;

namespace HpcLearn.Tests.Cluster;

/// <summary>Detection from fake environments: one test per way a process can be started.</summary>
public sealed class ClusterEnvironmentTests
{
    private static readonly FixedClock Clock = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

    private static ClusterEnvironment Detect(Dictionary<string, string> env, Func<string, string?>? run = null)
        => ClusterEnvironment.Detect(env, run ?? (_ => throw new InvalidOperationException("no command expected")), Clock);

    [Fact]
    public void No_cluster_variables_is_one_local_process()
    {
        var e = Detect(new() { ["HOME"] = "/home/me" });
        Assert.Equal(ClusterEnvironment.Local, e);
        Assert.Equal((ClusterKind.Local, 1, 0, 0, 1), (e.Kind, e.WorldSize, e.Rank, e.LocalRank, e.NodeCount));
        Assert.False(e.IsDistributed);
        Assert.True(e.IsRankZero);
        Assert.Equal("local: one process", e.Description);
    }

    [Fact]
    public void Open_mpi_mpirun_gives_ranks_and_local_ranks()
    {
        var e = Detect(new()
        {
            ["OMPI_COMM_WORLD_RANK"] = "5", ["OMPI_COMM_WORLD_SIZE"] = "8",
            ["OMPI_COMM_WORLD_LOCAL_RANK"] = "1", ["OMPI_COMM_WORLD_LOCAL_SIZE"] = "4",
        });
        Assert.Equal((ClusterKind.Mpi, 8, 5, 1, 2, 4), (e.Kind, e.WorldSize, e.Rank, e.LocalRank, e.NodeCount, e.TasksOnNode));
        Assert.True(e.IsDistributed);
        Assert.False(e.IsRankZero);
        Assert.Null(e.JobId);
        Assert.Equal("MPI (Open MPI mpirun): rank 5 of 8 (local 1)", e.Description);
    }

    [Fact]
    public void Mpich_family_pmi_variables_give_ranks()
    {
        var e = Detect(new() { ["PMI_RANK"] = "2", ["PMI_SIZE"] = "3", ["MPI_LOCALRANKID"] = "2", ["MPI_LOCALNRANKS"] = "3" });
        Assert.Equal((ClusterKind.Mpi, 3, 2, 2, 1, 3), (e.Kind, e.WorldSize, e.Rank, e.LocalRank, e.NodeCount, e.TasksOnNode));
        Assert.Equal("MPI (PMI (MPICH-family mpiexec)): rank 2 of 3 (local 2)", e.Description);
    }

    [Fact]
    public void A_plain_sbatch_job_with_one_task_is_slurm_with_world_size_one()
    {
        var e = Detect(new()
        {
            ["SLURM_JOB_ID"] = "1234", ["SLURM_PROCID"] = "0", ["SLURM_NTASKS"] = "1", ["SLURM_LOCALID"] = "0",
            ["SLURM_NNODES"] = "1", ["SLURM_CPUS_PER_TASK"] = "8", ["SLURM_CPUS_ON_NODE"] = "8",
            ["SLURM_JOB_END_TIME"] = "1740834000", // 2025-03-01 13:00 UTC
        });
        Assert.Equal((ClusterKind.Slurm, 1, 0, 0, 1), (e.Kind, e.WorldSize, e.Rank, e.LocalRank, e.NodeCount));
        Assert.Equal(("1234", 8, 8), (e.JobId, e.CpusPerTask, e.CpusOnNode));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 13, 0, 0, TimeSpan.Zero), e.JobEndTime);
        Assert.Equal("Slurm job 1234 (batch script): rank 0 of 1 (local 0), 1 node, 8 cpus per task, ends 2025-03-01 13:00 UTC (1h 00m left)", e.Description);
    }

    [Fact]
    public void A_batch_script_in_a_multi_task_job_runs_alone_and_says_to_use_srun()
    {
        var e = Detect(new() { ["SLURM_JOB_ID"] = "7", ["SLURM_PROCID"] = "0", ["SLURM_NTASKS"] = "4", ["SLURM_NNODES"] = "2" }, _ => null);
        Assert.Equal((1, 0), (e.WorldSize, e.Rank));
        Assert.EndsWith("; the job has 4 tasks but this process was not started by srun, so it runs alone (use srun to train on all of them)", e.Description);
    }

    [Fact]
    public void Srun_tasks_take_rank_and_size_from_the_step()
    {
        var e = Detect(new()
        {
            ["SLURM_JOB_ID"] = "99", ["SLURM_STEP_ID"] = "0", ["SLURM_PROCID"] = "5", ["SLURM_LOCALID"] = "1",
            ["SLURM_NTASKS"] = "8", ["SLURM_STEP_NUM_TASKS"] = "6", ["SLURM_NNODES"] = "4", ["SLURM_STEP_NUM_NODES"] = "3",
            ["SLURM_NODEID"] = "2", ["SLURM_STEP_TASKS_PER_NODE"] = "2(x2),2", ["SLURM_CPUS_PER_TASK"] = "4",
            ["SLURM_CPUS_ON_NODE"] = "8", ["SLURM_ARRAY_TASK_ID"] = "3",
        }, _ => null);
        Assert.Equal((ClusterKind.Slurm, 6, 5, 1, 3, 2), (e.Kind, e.WorldSize, e.Rank, e.LocalRank, e.NodeCount, e.TasksOnNode));
        Assert.Equal((4, 8, 3), (e.CpusPerTask, e.CpusOnNode, e.ArrayTaskId));
        Assert.Null(e.JobEndTime);
        Assert.Equal("Slurm job 99, array task 3 (srun): rank 5 of 6 (local 1), 3 nodes, 4 cpus per task", e.Description);
    }

    [Fact]
    public void Mpirun_inside_a_slurm_job_takes_ranks_from_mpirun_not_the_inherited_procid()
    {
        var e = Detect(new()
        {
            ["SLURM_JOB_ID"] = "55", ["SLURM_PROCID"] = "0", ["SLURM_NTASKS"] = "4", ["SLURM_NNODES"] = "2",
            ["OMPI_COMM_WORLD_RANK"] = "3", ["OMPI_COMM_WORLD_SIZE"] = "4", ["OMPI_COMM_WORLD_LOCAL_RANK"] = "1",
            ["OMPI_COMM_WORLD_LOCAL_SIZE"] = "2",
        }, _ => null);
        Assert.Equal((ClusterKind.Slurm, 4, 3, 1, 2, 2), (e.Kind, e.WorldSize, e.Rank, e.LocalRank, e.NodeCount, e.TasksOnNode));
        Assert.Equal("Slurm job 55 (mpirun): rank 3 of 4 (local 1), 2 nodes", e.Description);
    }

    [Fact]
    public void Without_slurm_job_end_time_squeue_gives_it_in_local_time()
    {
        var paris = TimeZoneInfo.CreateCustomTimeZone("test+1", TimeSpan.FromHours(1), "test+1", "test+1");
        string? asked = null;
        var e = ClusterEnvironment.Detect(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "321" },
            cmd => { asked = cmd; return "2025-03-01T15:30:00\n"; }, new FixedClock(Clock.GetUtcNow(), paris));
        Assert.Equal("squeue -h -j 321 -o %e", asked);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 14, 30, 0, TimeSpan.Zero), e.JobEndTime);
        Assert.Contains("ends 2025-03-01 14:30 UTC (2h 30m left)", e.Description);
    }

    [Fact]
    public void Only_rank_zero_asks_squeue()
    {
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "8", ["SLURM_STEP_ID"] = "0", ["SLURM_PROCID"] = "1", ["SLURM_NTASKS"] = "2" };
        Assert.Null(Detect(env).JobEndTime); // Detect's default runner throws if called
        env["SLURM_PROCID"] = "0";
        Assert.NotNull(Detect(env, _ => "2025-03-01T15:30:00").JobEndTime);
    }

    [Fact]
    public void Srun_with_pmi_variables_is_still_described_as_srun()
    {
        var e = Detect(new() { ["SLURM_JOB_ID"] = "9", ["SLURM_STEP_ID"] = "0", ["SLURM_PROCID"] = "1", ["SLURM_NTASKS"] = "2", ["PMI_RANK"] = "1", ["PMI_SIZE"] = "2" }, _ => null);
        Assert.Equal((2, 1), (e.WorldSize, e.Rank));
        Assert.StartsWith("Slurm job 9 (srun): rank 1 of 2", e.Description);
    }

    [Theory]
    [InlineData("N/A")]
    [InlineData("Unknown")]
    [InlineData("")]
    [InlineData(null)]
    public void No_end_time_when_squeue_has_none_or_fails(string? output)
        => Assert.Null(Detect(new() { ["SLURM_JOB_ID"] = "321" }, _ => output).JobEndTime);

    [Fact]
    public void Without_a_command_runner_nothing_is_run_and_the_end_time_is_unknown()
        => Assert.Null(ClusterEnvironment.Detect(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "1" }).JobEndTime);

    [Fact]
    public void An_end_time_in_the_past_says_so()
    {
        var e = Detect(new() { ["SLURM_JOB_ID"] = "1", ["SLURM_JOB_END_TIME"] = "1740826800" }); // 11:00 UTC
        Assert.EndsWith("ends 2025-03-01 11:00 UTC (passed)", e.Description);
    }

    [Fact]
    public void Thread_counts_within_the_node_allocation_pass()
    {
        var e = Detect(new() { ["SLURM_JOB_ID"] = "1", ["SLURM_STEP_ID"] = "0", ["SLURM_PROCID"] = "0", ["SLURM_NTASKS"] = "2", ["SLURM_CPUS_ON_NODE"] = "8" }, _ => null);
        e.CheckThreads(4);
        ClusterEnvironment.Local.CheckThreads(512); // no allocation known: nothing to check against
    }

    private sealed class FixedClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => zone;
    }
}
