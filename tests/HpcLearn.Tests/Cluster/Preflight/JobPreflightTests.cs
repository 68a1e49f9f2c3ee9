using HpcLearn.Cluster;
using HpcLearn.Cluster.Preflight;
using HpcLearn.Config;
using HpcLearn.Tests.Cluster.Slurm;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cluster.Preflight;

/// <summary>Each finding of the pre-flight check, with Slurm faked by canned scontrol/sinfo/srun/ldconfig answers.</summary>
public sealed class JobPreflightTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private static readonly Dictionary<string, string> NoEnvironment = new();

    public void Dispose() => _tmp.Dispose();

    private PreflightPlan Plan(ClusterOptions? cluster = null, params string[] flags) => new()
    {
        Cluster = cluster ?? new ClusterOptions(),
        Flags = flags.ToHashSet(),
        WorkDirectory = _tmp.Path,
        OutputFolder = _tmp["runs/r"],
        FreeBytes = _ => 1L << 40,
    };

    private static IReadOnlyList<PreflightFinding> Check(PreflightPlan plan, FakeCommands? commands = null, Dictionary<string, string>? environment = null) =>
        JobPreflight.Check(plan, commands ?? new FakeCommands().WithPartitions(), environment ?? NoEnvironment);

    private static string Only(IReadOnlyList<PreflightFinding> findings, PreflightLevel level)
    {
        Assert.True(findings.Count == 1, string.Join("\n", findings));
        Assert.Equal(level, findings[0].Level);
        return findings[0].Message;
    }

    [Fact]
    public void A_sane_job_on_the_default_partition_has_no_findings_and_is_ready()
    {
        var findings = Check(Plan(new ClusterOptions { Time = "01:00:00", CpusPerTask = 2 }));
        Assert.Empty(findings);
        Assert.Equal("ready to submit", JobPreflight.Summary(findings));
    }

    [Fact]
    public void A_wall_time_equal_to_the_margin_is_refused_naming_the_margin()
    {
        var message = Only(Check(Plan(new ClusterOptions { Time = "00:02:00" }, "time")), PreflightLevel.Problem);
        Assert.Equal("--time 00:02:00 (120 s) leaves no time to train before the 120 s checkpoint margin (cluster.margin_seconds); " +
            "give at least 00:03:00 (the margin plus 60 s to start), or lower cluster.margin_seconds", message);
    }

    [Fact]
    public void A_wall_time_just_above_the_margin_says_how_little_is_left_and_names_the_config_key()
    {
        var message = Only(Check(Plan(new ClusterOptions { Time = "2:30", MarginSeconds = 100 })), PreflightLevel.Problem);
        Assert.StartsWith("cluster.time 2:30 (150 s) leaves only 50 s to train before the 100 s checkpoint margin (cluster.margin_seconds); give at least 00:02:40", message);
    }

    [Fact]
    public void The_partitions_default_time_counts_when_no_time_is_given()
    {
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line(defaultTime: "00:01:00", maxTime: "1-00:00:00"));
        var message = Only(Check(Plan(), commands), PreflightLevel.Problem);
        Assert.StartsWith("no --time: partition debug's default time limit 00:01:00 (60 s) leaves no time to train", message);
    }

    [Fact]
    public void An_attempt_shorter_than_one_epoch_is_a_warning_not_a_refusal()
    {
        var plan = Plan(new ClusterOptions { Time = "10" }, "time") with { EpochSeconds = 900 };
        var message = Only(Check(plan), PreflightLevel.Warning);
        Assert.StartsWith("--time 10 leaves 480 s per attempt before the 120 s checkpoint margin, less than a start and one epoch (900 s in metrics.csv)", message);
        Assert.EndsWith("give at least 00:18:00", message);
    }

    [Fact]
    public void More_nodes_than_the_partition_has_are_refused_naming_its_node_count()
    {
        var message = Only(Check(Plan(new ClusterOptions { Nodes = 2 }, "nodes")), PreflightLevel.Problem);
        Assert.Equal("--nodes 2: partition debug has only 1 node (TotalNodes); the job could never start: ask for at most 1", message);
    }

    [Fact]
    public void More_nodes_than_MaxNodes_would_pend_for_ever()
    {
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line(nodes: 8, maxNodes: "4"), nodes: 8);
        var message = Only(Check(Plan(new ClusterOptions { Nodes = 6 }), commands), PreflightLevel.Problem);
        Assert.Equal("cluster.nodes 6: partition debug allows at most 4 nodes per job (MaxNodes); the job would pend for ever (Reason=PartitionNodeLimit): ask for at most 4", message);
    }

    [Fact]
    public void A_time_above_MaxTime_would_pend_for_ever()
    {
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line(maxTime: "1-00:00:00"));
        var message = Only(Check(Plan(new ClusterOptions { Time = "2-00:00:00" }, "time"), commands), PreflightLevel.Problem);
        Assert.Equal("--time 2-00:00:00 is above partition debug's MaxTime 1-00:00:00; the job would pend for ever (Reason=PartitionTimeLimit): ask for at most 1-00:00:00", message);
    }

    [Fact]
    public void More_cpus_per_node_than_any_node_has_are_refused()
    {
        var message = Only(Check(Plan(new ClusterOptions { NtasksPerNode = 2, CpusPerTask = 4 }, "cpus_per_task")), PreflightLevel.Problem);
        Assert.Equal("cluster.ntasks_per_node 2 × --cpus-per-task 4 = 8 CPUs per node, but partition debug's largest node has 4; " +
            "the job could never start: lower --ntasks-per-node or --cpus-per-task", message);
    }

    [Fact]
    public void Too_few_large_nodes_for_the_node_count_are_refused()
    {
        // Two nodes of 4 CPUs, one of 16: a 2-node job of 8 CPUs per node has one node to run on.
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line(nodes: 3))
            .On("sinfo", "n1 4\nn2 4\nn3 16\n");
        var message = Only(Check(Plan(new ClusterOptions { Nodes = 2, CpusPerTask = 8 }), commands), PreflightLevel.Problem);
        Assert.StartsWith("cluster.ntasks_per_node 1 × cluster.cpus_per_task 8 = 8 CPUs per node on 2 nodes, but only 1 of partition debug's nodes have that many CPUs", message);
    }

    [Fact]
    public void An_unknown_partition_is_refused_naming_the_known_ones()
    {
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line() + FakePartitions.Line("long", isDefault: false));
        var message = Only(Check(Plan(new ClusterOptions { Partition = "gpu" }, "partition"), commands), PreflightLevel.Problem);
        Assert.Equal("--partition gpu: no partition named gpu (known: debug (default), long)", message);
    }

    [Fact]
    public void No_partition_and_no_default_partition_is_refused()
    {
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line("long", isDefault: false));
        var message = Only(Check(Plan(), commands), PreflightLevel.Problem);
        Assert.Equal("no partition given and Slurm has no default partition; give --partition or cluster.partition (known: long)", message);
    }

    [Fact]
    public void A_down_partition_is_a_warning()
    {
        var commands = new FakeCommands().WithPartitions(FakePartitions.Line(state: "DOWN"));
        Assert.Equal("partition debug is DOWN: the job waits until it is UP", Only(Check(Plan(), commands), PreflightLevel.Warning));
    }

    [Fact]
    public void Without_slurm_the_partition_checks_are_skipped_with_one_warning_but_the_margin_still_counts()
    {
        var findings = Check(Plan(new ClusterOptions { Time = "2", Nodes = 5 }, "time"), new FakeCommands());
        Assert.Equal(2, findings.Count);
        Assert.Equal(PreflightFinding.Warning("partition limits (nodes, CPUs, time) not checked: scontrol not found (no Slurm here)"), findings[0]);
        Assert.StartsWith("--time 2 (120 s) leaves no time to train", findings[1].Message);
    }

    [Fact]
    public void A_controller_that_does_not_answer_is_a_warning_with_scontrols_message()
    {
        var commands = new FakeCommands().On("scontrol", _ => new CommandResult(1, "", "slurm_load_partitions: Unable to contact slurm controller (connect failure)\n"));
        Assert.Equal("partition limits (nodes, CPUs, time) not checked: scontrol show partition failed: slurm_load_partitions: Unable to contact slurm controller (connect failure)",
            Only(Check(Plan(), commands), PreflightLevel.Warning));
    }

    [Fact]
    public void A_job_run_here_without_slurm_asks_slurm_nothing()
    {
        var commands = new FakeCommands();
        Assert.Empty(Check(Plan(new ClusterOptions { Time = "1", Nodes = 9 }) with { UnderSlurm = false }, commands));
        Assert.Empty(commands.Calls);
    }

    [Fact]
    public void More_threads_than_cpus_per_task_are_refused()
    {
        var plan = Plan(new ClusterOptions { CpusPerTask = 2 }, "cpus_per_task") with { Threads = 4 };
        Assert.Equal("threads: 4 is more than the 2 CPUs per task the job asks for (--cpus-per-task 2); training would refuse to start " +
            "(4 threads × 1 task on a node need 4 CPUs); ask for --cpus-per-task 4, or lower threads", Only(Check(plan), PreflightLevel.Problem));
    }

    [Fact]
    public void More_threads_than_cpus_with_an_exclusive_node_is_only_a_warning()
    {
        var plan = Plan(new ClusterOptions { ExtraSbatch = ["--exclusive"] }) with { Threads = 4, ThreadsName = "--threads" };
        var message = Only(Check(plan), PreflightLevel.Warning);
        Assert.StartsWith("--threads 4 is more than the 1 CPU per task the job asks for (cluster.cpus_per_task not set, so Slurm gives 1)", message);
        Assert.EndsWith("(--exclusive may give it the whole node)", message);
    }

    [Fact]
    public void Fewer_threads_than_cpus_per_task_are_a_warning()
    {
        var plan = Plan(new ClusterOptions { CpusPerTask = 4 }) with { Threads = 1 };
        Assert.StartsWith("threads: 1 uses 1 of the 4 CPUs per task the job asks for", Only(Check(plan), PreflightLevel.Warning));
    }

    [Fact]
    public void A_missing_data_path_is_refused_naming_the_key_and_where_relative_paths_start()
    {
        _tmp.Write("there.csv", "a,b\n1,2\n");
        Directory.CreateDirectory(_tmp["images"]);
        var plan = Plan() with { Inputs = [("data.path", "there.csv"), ("data.titles.path", "images"), ("data.test_path", "missing.csv")] };
        Assert.Equal($"data.test_path: 'missing.csv' not found (relative to {_tmp.Path}, where the job starts); the job would stop at once",
            Only(Check(plan), PreflightLevel.Problem));
    }

    [Fact]
    public void An_unwritable_output_folder_is_refused()
    {
        // /proc takes no new files, not even from root: a folder no test run can write.
        var plan = Plan() with { OutputFolder = "/proc/hpclearn-runs/r" };
        Assert.Equal("--out: the output folder '/proc/hpclearn-runs/r' is not writable: cannot create a file in '/proc' (the file system takes no new files there); choose another --out",
            Only(Check(plan), PreflightLevel.Problem));
    }

    [Fact]
    public void A_file_where_the_output_folder_should_be_is_refused()
    {
        var file = _tmp.Write("runs-file", "x");
        var plan = Plan() with { OutputFolder = Path.Combine(file, "r") };
        Assert.Equal($"--out: the output folder '{Path.Combine(file, "r")}' cannot be made: '{file}' is a file; choose another --out", Only(Check(plan), PreflightLevel.Problem));
        Assert.Equal(["runs-file"], Directory.GetFileSystemEntries(_tmp.Path).Select(Path.GetFileName)); // the probe left nothing
    }

    [Fact]
    public void Too_little_space_for_the_measured_checkpoints_is_refused_and_below_the_floor_a_warning()
    {
        var measured = Plan() with { CheckpointBytes = 40L << 20, KeepCheckpoints = 3, FreeBytes = _ => 150L << 20 };
        Assert.Equal($"--out: only 150 MB free under '{_tmp.Path}', but the run's checkpoints need about 200 MB (3 kept, one being written and the model, 40 MB each); " +
            "free some space or choose another --out", Only(Check(measured), PreflightLevel.Problem));

        var unmeasured = Plan() with { FreeBytes = _ => 10L << 20 };
        Assert.StartsWith($"--out: only 10 MB free under '{_tmp.Path}'; checkpoints and the model may not fit", Only(Check(unmeasured), PreflightLevel.Warning));
    }

    [Fact]
    public void Srun_pmix_with_an_mpich_library_is_a_warning()
    {
        var plan = Plan(new ClusterOptions { NtasksPerNode = 2, CpusPerTask = 2 });
        var env = new Dictionary<string, string> { ["HPCLEARN_LIBMPI"] = "libmpich.so.12" };
        var message = Only(Check(plan, environment: env), PreflightLevel.Warning);
        Assert.StartsWith("srun --mpi=pmix (cluster.srun_mpi) with libmpich.so.12, an MPICH-family library: MPICH, Intel MPI and Cray MPICH start through PMI-2", message);
    }

    [Fact]
    public void Srun_pmi2_with_only_open_mpi_installed_is_a_warning_and_a_match_is_not()
    {
        var commands = new FakeCommands().WithPartitions()
            .On("ldconfig", "2 libs found in cache `/etc/ld.so.cache'\n\tlibmpi.so.40 (libc6,x86-64) => /lib/x86_64-linux-gnu/libmpi.so.40\n\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n");
        var pmi2 = Plan(new ClusterOptions { NtasksPerNode = 2, SrunMpi = "pmi2" });
        Assert.StartsWith("srun --mpi=pmi2 (cluster.srun_mpi) with libmpi.so.40, Open MPI: Open MPI starts through PMIx", Only(Check(pmi2, commands), PreflightLevel.Warning));
        Assert.Empty(Check(pmi2 with { Cluster = pmi2.Cluster with { SrunMpi = "pmix" } }, commands));
    }

    [Fact]
    public void An_srun_plugin_srun_does_not_list_is_a_warning()
    {
        var commands = new FakeCommands().WithPartitions()
            .On("srun", "MPI plugin types are...\n\tpmix\n\tnone\n\tcray_shasta\n\tpmi2\nspecific pmix plugin versions available: pmix_v4\n")
            .On("ldconfig", "\tlibmpich.so.12 (libc6,x86-64) => /lib/x86_64-linux-gnu/libmpich.so.12\n");
        var plan = Plan(new ClusterOptions { Nodes = 1, NtasksPerNode = 2, SrunMpi = "pmi3" });
        Assert.Equal("cluster.srun_mpi pmi3: srun here has no such MPI plug-in (srun --mpi=list: pmix, none, cray_shasta, pmi2, pmix_v4); the ranks would not start: choose one of those",
            Only(Check(plan, commands), PreflightLevel.Warning));
        Assert.Empty(Check(plan with { Cluster = plan.Cluster with { SrunMpi = "pmix_v4", Modules = ["openmpi"] } }, commands));
    }

    [Fact]
    public void Several_ranks_without_any_mpi_library_are_a_warning_unless_modules_load_one()
    {
        var plan = Plan(new ClusterOptions { NtasksPerNode = 2 });
        var commands = new FakeCommands().WithPartitions().On("ldconfig", "\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\n");
        Assert.StartsWith("2 ranks need an MPI library, but none is found here (libmpi.so.40, libmpi.so.12, libmpich.so.12, libmpi.so; ldconfig -p, LD_LIBRARY_PATH)",
            Only(Check(plan, commands), PreflightLevel.Warning));
        Assert.Empty(Check(plan with { Cluster = plan.Cluster with { Modules = ["openmpi/4.1"] } }, commands));
    }

    [Fact]
    public void The_summary_counts_problems_and_warnings()
    {
        Assert.Equal("2 problems, 1 warning", JobPreflight.Summary([PreflightFinding.Problem("a"), PreflightFinding.Problem("b"), PreflightFinding.Warning("c")]));
        Assert.Equal("0 problems, 2 warnings; ready to submit", JobPreflight.Summary([PreflightFinding.Warning("a"), PreflightFinding.Warning("b")]));
    }
}
