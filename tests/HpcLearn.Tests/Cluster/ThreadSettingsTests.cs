using HpcLearn.Cluster;
using Xunit;

namespace HpcLearn.Tests.Cluster;

public sealed class ThreadSettingsTests
{
    private static readonly Dictionary<string, string> Slurm = new() { ["SLURM_CPUS_PER_TASK"] = "6" };
    private static readonly Dictionary<string, string> NoSlurm = new();

    [Fact]
    public void Threads_option_wins_over_slurm_and_cores()
        => Assert.Equal(new ThreadSettings(3, "--threads"), ThreadSettings.Resolve(3, Slurm, usableCores: 32));

    [Fact]
    public void Slurm_cpus_per_task_comes_next()
        => Assert.Equal(new ThreadSettings(6, "SLURM_CPUS_PER_TASK"), ThreadSettings.Resolve(null, Slurm, usableCores: 32));

    [Fact]
    public void Usable_cores_are_the_fallback_and_at_least_one()
    {
        Assert.Equal(new ThreadSettings(12, "usable cores"), ThreadSettings.Resolve(null, NoSlurm, usableCores: 12));
        Assert.Equal(new ThreadSettings(1, "usable cores"), ThreadSettings.Resolve(null, NoSlurm, usableCores: 0));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("")]
    public void A_bad_slurm_value_is_a_user_error(string value)
    {
        var env = new Dictionary<string, string> { ["SLURM_CPUS_PER_TASK"] = value };
        var e = Assert.Throws<UserError>(() => ThreadSettings.Resolve(null, env, usableCores: 8));
        Assert.Equal($"SLURM_CPUS_PER_TASK is '{value}', not a positive integer; fix --cpus-per-task in your sbatch script", e.Message);
    }

    [Fact]
    public void A_bad_threads_option_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => ThreadSettings.Resolve(0, Slurm, usableCores: 8));
        Assert.Equal("--threads must be at least 1, got 0", e.Message);
    }

    [Fact]
    public void A_thread_count_far_beyond_the_cores_is_a_user_error_naming_the_range()
    {
        Assert.Equal(32, ThreadSettings.Resolve(32, NoSlurm, usableCores: 8).Count); // 4 per core is still allowed
        var e = Assert.Throws<UserError>(() => ThreadSettings.Resolve(100_000, NoSlurm, usableCores: 8));
        Assert.Equal("--threads is 100000, but this machine has 8 usable cores; use 1 to 32 (4 per core at most: threads beyond the cores only slow libtorch down)", e.Message);
        e = Assert.Throws<UserError>(() => ThreadSettings.Resolve(33, NoSlurm, usableCores: 8, requestedBy: "the config's threads"));
        Assert.StartsWith("the config's threads is 33, but", e.Message);
    }
}

public sealed class ThreadSettingsForRankTests
{
    private static readonly Dictionary<string, string> NoEnv = new();

    [Fact]
    public void A_slurm_job_without_cpus_per_task_uses_the_cpus_allocated_on_the_node()
    {
        // Regression: 2 visible cores, 1 CPU allocated (task/none: no binding) refused the job itself.
        var cluster = HpcLearn.Cluster.ClusterEnvironment.Local with { CpusOnNode = 1, TasksOnNode = 1 };
        var t = ThreadSettings.ForRank(null, cluster, NoEnv, processorCount: 2);
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Ranks_on_a_node_share_its_cores()
    {
        var cluster = HpcLearn.Cluster.ClusterEnvironment.Local with { TasksOnNode = 4 };
        var t = ThreadSettings.ForRank(null, cluster, NoEnv, processorCount: 16);
        Assert.Equal(4, t.Count);
        Assert.Equal("usable cores / 4 ranks on this node", t.Source);
    }

    [Fact]
    public void More_threads_than_the_allocation_is_refused_with_what_to_change()
    {
        var cluster = HpcLearn.Cluster.ClusterEnvironment.Local with { CpusOnNode = 4, TasksOnNode = 2 };
        var e = Assert.Throws<UserError>(() => ThreadSettings.ForRank(4, cluster, NoEnv, processorCount: 8));
        Assert.StartsWith("4 threads × 2 tasks on this node need 8 CPUs, but Slurm allocated 4 here", e.Message);
    }
}
