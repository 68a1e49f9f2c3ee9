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
}
