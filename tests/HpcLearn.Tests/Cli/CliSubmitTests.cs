using System.Diagnostics;
using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Cluster.Slurm;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn submit</c> with a fake sbatch, and <c>--local</c> for real.</summary>
public sealed class CliSubmitTests : IDisposable
{
    private static readonly string[] Self = ["/opt/dotnet/dotnet", "/opt/hpclearn/HpcLearn.Cli.dll"];
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    // Slurm's answers about the partition (1 node, 4 CPUs) for the pre-flight check; sbatch as each test fakes it.
    private static CliHost Host(FakeCommands commands) => new() { Environment = new Dictionary<string, string>(), Commands = commands.WithPartitions(), Hpclearn = Self };

    private static List<string> SbatchCalls(FakeCommands commands) => commands.Calls.Where(c => c.StartsWith("sbatch ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Submit_writes_job_script_and_resolved_config_then_sbatch_prints_the_job_id()
    {
        var config = _tmp.Write("s.yaml", Cli.TinyYaml("s") + "cluster: {cpus_per_task: 4, account: proj42, time: '01:00:00'}\n");
        var commands = new FakeCommands().On("sbatch", "123\n");

        var r = Cli.Run(Host(commands), "submit", config, "--out", Runs, "--cpus-per-task", "2", "--partition", "debug").AssertOk();

        var run = Path.Combine(Runs, "s");
        var script = Path.Combine(run, "job.sbatch");
        Assert.Equal($"submitted job 123: {script}\nlog: {Path.Combine(run, "job.log")}\nfollow it: hpclearn status {run}\n", r.Out);
        Assert.Equal([$"sbatch --parsable {script}"], SbatchCalls(commands));
        Assert.Equal("123", File.ReadAllText(Path.Combine(run, "job.id")));
        var text = File.ReadAllText(script);
        // The flag wins over the config; the config's other keys stay.
        foreach (var line in new[] { "--cpus-per-task=2", "--partition=debug", "--account=proj42", "--time=01:00:00", "--signal=B:USR1@120", "--requeue", "--open-mode=append" })
            Assert.Contains($"#SBATCH {line}\n", text);
        Assert.Contains($"/opt/dotnet/dotnet /opt/hpclearn/HpcLearn.Cli.dll train {Path.Combine(run, "job.yaml")} --out {Runs} --resume-if-possible &", text);
        Assert.Contains($"cd {Directory.GetCurrentDirectory()} || exit 1", text);
        // job.yaml is the resolved config, flags included, and loads back.
        var resolved = ConfigLoader.Load(Path.Combine(run, "job.yaml"), [], t => TaskRegistry.Find(t)?.ConfigType);
        Assert.Equal(2, resolved.Cluster.CpusPerTask);
        Assert.Equal("s", resolved.RunName);
        Assert.Equal(["job.id", "job.sbatch", "job.yaml"], Directory.GetFiles(run).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void An_option_slurm_rejects_is_shown_with_sbatchs_own_message_and_exit_2()
    {
        var config = _tmp.Write("p.yaml", Cli.TinyYaml("p"));
        // (An unknown partition is refused before sbatch by the pre-flight check; an account only Slurm knows.)
        var commands = new FakeCommands().On("sbatch", _ => new CommandResult(1, "",
            "sbatch: error: invalid account: nope\nsbatch: error: Batch job submission failed: Invalid account or account/partition combination specified\n"));

        var r = Cli.Run(Host(commands), "submit", config, "--out", Runs, "--set", "cluster.account=nope");

        r.AssertUserError($"sbatch rejected {Path.Combine(Runs, "p", "job.sbatch")}: sbatch: error: invalid account: nope; " +
            "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified");
        Assert.False(File.Exists(Path.Combine(Runs, "p", "job.id")));
    }

    [Fact]
    public void Without_sbatch_submit_says_so_and_points_to_local_and_dry_run()
    {
        var config = _tmp.Write("m.yaml", Cli.TinyYaml("m"));
        Cli.Run(Host(new FakeCommands()), "submit", config, "--out", Runs)
            .AssertUserError("sbatch not found: Slurm's commands are not installed here; run the job script on this machine with --local, or print it with --dry-run");
    }

    [Fact]
    public void Dry_run_prints_the_script_and_writes_and_submits_nothing()
    {
        var config = _tmp.Write("d.yaml", Cli.TinyYaml("d"));
        var commands = new FakeCommands();

        var r = Cli.Run(Host(commands), "submit", config, "--out", Runs, "--dry-run", "--time", "30").AssertOk();

        Assert.StartsWith("#!/bin/bash\n", r.Out);
        Assert.Contains("#SBATCH --time=30\n", r.Out);
        Assert.EndsWith("\n# doctor: ready to submit\n", r.Out); // the pre-flight findings, as comments: still a script
        Assert.Empty(SbatchCalls(commands));
        Assert.False(Directory.Exists(Runs));
    }

    [Theory]
    [InlineData("--time", "4h", "--time: '4h' is not a Slurm time; use minutes (30), HH:MM:SS (04:00:00) or D-HH:MM:SS (1-12:00:00)")]
    [InlineData("--nodes", "0", "--nodes: must be at least 1")]
    [InlineData("--cpus-per-task", "0", "--cpus-per-task: must be at least 1")]
    public void Bad_resource_flags_are_one_line_errors(string flag, string value, string message)
    {
        var config = _tmp.Write("b.yaml", Cli.TinyYaml("b"));
        Cli.Run(Host(new FakeCommands()), "submit", config, "--out", Runs, flag, value, "--dry-run").AssertUserError(message);
    }

    [Fact]
    public void A_started_run_folder_is_refused_unless_resume_and_job_files_alone_do_not_count()
    {
        var config = _tmp.Write("e.yaml", Cli.TinyYaml("e"));
        var commands = new FakeCommands().On("sbatch", "5");
        Cli.Run(Host(commands), "submit", config, "--out", Runs).AssertOk();
        // Only job files so far: submitting again is fine (e.g. after a rejected submission).
        Cli.Run(Host(commands), "submit", config, "--out", Runs).AssertOk();

        File.WriteAllText(Path.Combine(Runs, "e", "config.yaml"), "started");
        Cli.Run(Host(commands), "submit", config, "--out", Runs).AssertUserError(
            $"run folder '{Path.Combine(Runs, "e")}' already exists; add --resume to continue it in a job, or choose another name (--set name=...) or --out DIR");
        Cli.Run(Host(commands), "submit", config, "--out", Runs, "--resume").AssertOk();
    }

    [Fact]
    public void Local_runs_the_same_script_in_the_background_without_slurm_and_it_trains_a_model()
    {
        var config = _tmp.Write("l.yaml", Cli.TinyYaml("l"));
        var host = new CliHost { Environment = new Dictionary<string, string>() };

        var r = Cli.Run(host, "submit", config, "--out", Runs, "--local").AssertOk();

        var run = Path.Combine(Runs, "l");
        int pid = int.Parse(File.ReadAllText(Path.Combine(run, "job.pid")));
        Assert.StartsWith($"started {Path.Combine(run, "job.sbatch")} here, without Slurm: pid {pid}\nlog: {Path.Combine(run, "job.log")}\n", r.Out);
        var clock = Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(100);
        var log = File.ReadAllText(Path.Combine(run, "job.log"));
        Assert.Contains("hpclearn exited with code 0", log);
        Assert.DoesNotContain("checkpoint and stop", log); // not under Slurm: no job deadline
        Assert.True(File.Exists(Path.Combine(run, "model", "model.safetensors")), log);
    }
}
