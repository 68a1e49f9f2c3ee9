using HpcLearn.Cluster;
using Xunit;

namespace HpcLearn.Tests.Cluster;

/// <summary>Every inconsistent or malformed setting, and the exact message that says what to change.</summary>
public sealed class ClusterEnvironmentErrorTests
{
    private static string Error(Dictionary<string, string> env)
        => Assert.Throws<UserError>(() => ClusterEnvironment.Detect(env, _ => null)).Message;

    private static Dictionary<string, string> Slurm(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "42" };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    [Fact]
    public void More_tasks_than_tasks_per_node_times_nodes()
        => Assert.Equal("SLURM_NTASKS=8 is more than --ntasks-per-node=2 × --nodes=3 = 6; in your sbatch script raise --nodes or --ntasks-per-node, or lower --ntasks",
            Error(Slurm(("SLURM_NTASKS", "8"), ("SLURM_NTASKS_PER_NODE", "2"), ("SLURM_NNODES", "3"))));

    [Fact]
    public void Threads_times_tasks_above_the_cpus_on_the_node()
        => Assert.Equal("8 threads × 4 tasks on this node need 32 CPUs, but Slurm allocated 16 here (SLURM_CPUS_ON_NODE); " +
                        "in your sbatch script ask for --cpus-per-task=8 with --ntasks-per-node=4, or run fewer threads (--threads) or tasks",
            Error(Slurm(("SLURM_STEP_ID", "0"), ("SLURM_PROCID", "1"), ("SLURM_NTASKS", "4"), ("SLURM_TASKS_PER_NODE", "4"),
                        ("SLURM_CPUS_PER_TASK", "8"), ("SLURM_CPUS_ON_NODE", "16"))));

    [Fact]
    public void A_thread_count_chosen_later_is_checked_against_the_node_too()
    {
        var e = ClusterEnvironment.Detect(Slurm(("SLURM_STEP_ID", "0"), ("SLURM_PROCID", "0"), ("SLURM_NTASKS", "2"), ("SLURM_CPUS_ON_NODE", "4")), _ => null);
        var error = Assert.Throws<UserError>(() => e.CheckThreads(3));
        Assert.StartsWith("3 threads × 2 tasks on this node need 6 CPUs, but Slurm allocated 4 here", error.Message);
    }

    [Theory]
    [InlineData("SLURM_NTASKS", "four", "not a positive integer; fix --ntasks in your sbatch script")]
    [InlineData("SLURM_NTASKS", "0", "not a positive integer; fix --ntasks in your sbatch script")]
    [InlineData("SLURM_NNODES", "-1", "not a positive integer; fix --nodes in your sbatch script")]
    [InlineData("SLURM_NTASKS_PER_NODE", "2.5", "not a positive integer; fix --ntasks-per-node in your sbatch script")]
    [InlineData("SLURM_CPUS_PER_TASK", "", "not a positive integer; fix --cpus-per-task in your sbatch script")]
    [InlineData("SLURM_CPUS_ON_NODE", "x", "not a positive integer; fix --cpus-per-task and --ntasks-per-node in your sbatch script")]
    [InlineData("SLURM_ARRAY_TASK_ID", "-3", "not a non-negative integer; fix --array in your sbatch script")]
    public void Malformed_slurm_numbers_name_the_sbatch_option(string name, string value, string tail)
        => Assert.Equal($"{name} is '{value}', {tail}", Error(Slurm((name, value))));

    [Fact]
    public void Malformed_srun_variables_say_to_launch_with_srun()
        => Assert.Equal("SLURM_PROCID is 'x', not a non-negative integer; Slurm sets it for each task: start the program with srun in your sbatch script and do not set it by hand",
            Error(Slurm(("SLURM_STEP_ID", "0"), ("SLURM_PROCID", "x"))));

    [Fact]
    public void A_procid_beyond_the_step_size()
        => Assert.Equal("SLURM_PROCID is 4, but the step has 4 tasks; Slurm sets it for each task: start the program with srun in your sbatch script and do not set it by hand",
            Error(Slurm(("SLURM_STEP_ID", "0"), ("SLURM_PROCID", "4"), ("SLURM_NTASKS", "4"))));

    [Fact]
    public void A_malformed_end_time()
        => Assert.Equal("SLURM_JOB_END_TIME is 'tomorrow', not a Unix time in seconds; Slurm sets it: do not set it by hand",
            Error(Slurm(("SLURM_JOB_END_TIME", "tomorrow"))));

    [Fact]
    public void Malformed_mpi_launcher_numbers_say_to_use_the_launcher()
        => Assert.Equal("OMPI_COMM_WORLD_SIZE is 'two', not a positive integer; the MPI launcher sets it: start the program with mpirun -np N (or srun) and do not set it by hand",
            Error(new() { ["OMPI_COMM_WORLD_RANK"] = "0", ["OMPI_COMM_WORLD_SIZE"] = "two" }));

    [Fact]
    public void A_rank_without_a_size()
        => Assert.Equal("PMI_SIZE is not set, but other MPI launcher variables are; the MPI launcher sets it: start the program with mpirun -np N (or srun) and do not set it by hand",
            Error(new() { ["PMI_RANK"] = "0" }));

    [Fact]
    public void A_rank_at_or_above_the_size()
        => Assert.Equal("OMPI_COMM_WORLD_RANK is 2, but OMPI_COMM_WORLD_SIZE is 2: a rank must be below the size; the MPI launcher sets it: start the program with mpirun -np N (or srun) and do not set it by hand",
            Error(new() { ["OMPI_COMM_WORLD_RANK"] = "2", ["OMPI_COMM_WORLD_SIZE"] = "2" }));
}
