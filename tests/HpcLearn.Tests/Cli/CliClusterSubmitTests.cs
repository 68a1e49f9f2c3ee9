using System.Diagnostics;
using HpcLearn.Cli;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Cluster.Slurm;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn cluster DATA … --submit</c>: the same clustering as a Slurm job, with sbatch faked; and its script run here.</summary>
public sealed class CliClusterSubmitTests : IDisposable
{
    private static readonly string[] Self = ["/opt/dotnet/dotnet", "/opt/hpclearn/HpcLearn.Cli.dll"];
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static CliHost Host(FakeCommands commands, IReadOnlyList<string>? self = null) => new()
    {
        Environment = new Dictionary<string, string>(), Commands = commands.WithPartitions(), Hpclearn = self ?? Self,
    };

    private string Points() => _tmp.Write("pts.csv", "x,y\n0,0\n0,1\n1,0\n10,10\n10,11\n11,10\n");

    [Fact]
    public void Submit_writes_a_job_that_runs_the_same_cluster_command_and_submits_it()
    {
        var data = Points();
        var outDir = _tmp["out"];
        var commands = new FakeCommands().On("sbatch", "31\n");

        var r = Cli.Run(Host(commands), "cluster", data, "--k", "2", "--standardize", "--out", outDir, "--submit",
            "--time", "00:10:00", "--cpus-per-task", "2", "--threads", "2").AssertOk();

        string script = Path.Combine(outDir, "job.sbatch");
        Assert.Equal($"submitted job 31: {script}\nlog: {Path.Combine(outDir, "job.log")}\nresults: {outDir}\n", r.Out);
        Assert.Equal([$"sbatch --parsable {script}"], commands.Calls.Where(c => c.StartsWith("sbatch", StringComparison.Ordinal)));
        Assert.Equal("31", File.ReadAllText(Path.Combine(outDir, "job.id")));
        var text = File.ReadAllText(script);
        Assert.Contains($"\"${{launch[@]}}\" /opt/dotnet/dotnet /opt/hpclearn/HpcLearn.Cli.dll cluster {data} --k 2 --standardize --threads 2 --out {outDir} &\n", text);
        foreach (var line in new[] { "--time=00:10:00", "--cpus-per-task=2", $"--output={Path.Combine(outDir, "job.log")}" })
            Assert.Contains($"#SBATCH {line}\n", text);
        Assert.DoesNotContain("--submit", text);
    }

    [Fact]
    public void The_job_script_run_here_clusters_into_the_folder_that_holds_it()
    {
        var data = Points();
        var outDir = _tmp["here"];
        var host = new CliHost { Environment = new Dictionary<string, string>(), Commands = new FakeCommands().WithPartitions().On("sbatch", "5\n") };
        Cli.Run(host, "cluster", data, "--k", "2", "--out", outDir, "--submit").AssertOk();

        // Without Slurm the #SBATCH lines are comments: bash runs the clustering itself.
        using var bash = Process.Start(new ProcessStartInfo("bash", [Path.Combine(outDir, "job.sbatch")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["SLURM_JOB_ID"] = null },
        })!;
        string output = bash.StandardOutput.ReadToEnd() + bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        Assert.True(bash.ExitCode == 0, output);
        Assert.Contains("hpclearn exited with code 0", output);
        Assert.True(File.Exists(Path.Combine(outDir, "assignments.csv")), output);
        Assert.True(File.Exists(Path.Combine(outDir, "model", "model.json")), output);
    }

    [Fact]
    public void Dry_run_prints_the_script_and_the_findings_and_writes_nothing()
    {
        var outDir = _tmp["dry"];
        var commands = new FakeCommands();
        var r = Cli.Run(Host(commands), "cluster", "missing.csv", "--out", outDir, "--submit", "--dry-run", "--nodes", "2").AssertOk();
        Assert.StartsWith("#!/bin/bash\n", r.Out);
        Assert.Contains("# doctor: error: --nodes 2: partition debug has only 1 node (TotalNodes)", r.Out);
        Assert.Contains($"# doctor: error: DATA: 'missing.csv' not found (relative to {Directory.GetCurrentDirectory()}, where the job starts)", r.Out);
        Assert.DoesNotContain(commands.Calls, c => c.StartsWith("sbatch", StringComparison.Ordinal));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Job_flags_without_submit_and_one_process_algorithms_on_several_ranks_are_refused()
    {
        var data = Points();
        Cli.Run(Host(new FakeCommands()), "cluster", data, "--time", "10").AssertUserError("--time applies to a job: add --submit");
        Cli.Run(Host(new FakeCommands()), "cluster", data, "--algorithm", "dbscan", "--submit", "--ntasks-per-node", "2").AssertUserError(
            "--algorithm dbscan runs on one process, but the job asks for 2 tasks; only kmeans and minibatch split the rows over ranks");
    }

    [Fact]
    public void An_output_folder_with_results_is_refused_but_one_with_job_files_alone_is_not()
    {
        var data = Points();
        var outDir = _tmp["taken"];
        var commands = new FakeCommands().On("sbatch", "1\n");
        Cli.Run(Host(commands), "cluster", data, "--out", outDir, "--submit").AssertOk();
        Cli.Run(Host(commands), "cluster", data, "--out", outDir, "--submit").AssertOk(); // only job.* so far: a resubmission
        File.WriteAllText(Path.Combine(outDir, "summary.json"), "{}");
        Cli.Run(Host(commands), "cluster", data, "--out", outDir, "--submit")
            .AssertUserError($"output folder '{outDir}' already exists and is not empty; choose another --out or remove it");
    }
}
