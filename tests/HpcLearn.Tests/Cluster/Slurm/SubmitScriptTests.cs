using System.Diagnostics;
using HpcLearn.Cluster;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Cluster.Slurm;

/// <summary>What the job script says, line by line, and that bash accepts it.</summary>
public sealed class SubmitScriptTests
{
    private static JobSpec Job(ClusterOptions? cluster = null, string? table = null, string? array = null) => new()
    {
        Name = "penguins",
        WorkDirectory = "/home/me/project",
        LogPath = "/home/me/project/runs/penguins/job.log",
        ScriptPath = "/home/me/project/runs/penguins/job.sbatch",
        Command = ["/usr/bin/dotnet", "/opt/hpclearn/HpcLearn.Cli.dll", "train", "/home/me/project/runs/penguins/job.yaml", "--out", "/home/me/project/runs", "--resume-if-possible"],
        Cluster = cluster ?? new ClusterOptions(),
        PointTable = table,
        Array = array,
    };

    private static string[] Sbatch(string script) =>
        script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Defaults_give_signal_before_the_margin_requeue_append_and_the_log_in_the_run_folder()
    {
        var script = JobScript.Render(Job());

        Assert.StartsWith("#!/bin/bash\n# Slurm job 'penguins', written by hpclearn.\n# Submit it: sbatch /home/me/project/runs/penguins/job.sbatch\n", script);
        Assert.Equal(
        [
            "#SBATCH --job-name=penguins",
            "#SBATCH --nodes=1",
            "#SBATCH --ntasks-per-node=1",
            "#SBATCH --output=/home/me/project/runs/penguins/job.log",
            "#SBATCH --open-mode=append",
            "#SBATCH --signal=B:USR1@120",
            "#SBATCH --requeue",
        ], Sbatch(script));
        Assert.Contains("\ncd /home/me/project || exit 1\n", script);
        Assert.Contains("\nlaunch=()\n", script);
        Assert.DoesNotContain("DOTNET_TieredCompilation", script);         // one process: the runtime's default
        Assert.Contains("\n\"${launch[@]}\" /usr/bin/dotnet /opt/hpclearn/HpcLearn.Cli.dll train /home/me/project/runs/penguins/job.yaml --out /home/me/project/runs --resume-if-possible &\n", script);
        Assert.Contains("\ntrap 'kill -USR1 \"$child\" 2>/dev/null' USR1\n", script);
        Assert.Contains("\ntrap 'kill -TERM \"$child\" 2>/dev/null' TERM\n", script);
        // Every #SBATCH line has a comment line above it, and they all come before the first command.
        var lines = script.Split('\n');
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.All(lines.Select((l, i) => (l, i)).Where(p => p.l.StartsWith("#SBATCH")), p => Assert.True(p.i < firstCommand));
        Assert.True(lines.Count(l => l.StartsWith("# ", StringComparison.Ordinal)) >= 8);
    }

    [Fact]
    public void Cluster_section_adds_resources_site_lines_modules_and_setup()
    {
        var cluster = new ClusterOptions
        {
            Nodes = 2, NtasksPerNode = 4, CpusPerTask = 8, Time = "04:00:00", Partition = "cpu", Account = "proj42", Qos = "normal",
            MarginSeconds = 300, Requeue = false, ExtraSbatch = ["--mem=16G", "#SBATCH --constraint=avx2"],
            Modules = ["dotnet/10.0", "openmpi/4.1"], Setup = ["export HPCLEARN_DATA=/scratch/data"],
        };
        var script = JobScript.Render(Job(cluster));

        Assert.Equal(
        [
            "#SBATCH --job-name=penguins",
            "#SBATCH --nodes=2",
            "#SBATCH --ntasks-per-node=4",
            "#SBATCH --cpus-per-task=8",
            "#SBATCH --time=04:00:00",
            "#SBATCH --partition=cpu",
            "#SBATCH --account=proj42",
            "#SBATCH --qos=normal",
            "#SBATCH --output=/home/me/project/runs/penguins/job.log",
            "#SBATCH --open-mode=append",
            "#SBATCH --signal=B:USR1@300",
            "#SBATCH --no-requeue",
            "#SBATCH --mem=16G",
            "#SBATCH --constraint=avx2",
        ], Sbatch(script));
        Assert.Contains("\nmodule load dotnet/10.0\nmodule load openmpi/4.1\n", script);
        Assert.Contains("\nexport HPCLEARN_DATA=/scratch/data\n", script);
        Assert.Contains("launch=(srun --mpi=pmix --kill-on-bad-exit=1); else launch=(mpirun -np 8 -x TERM -x DOTNET_TieredCompilation); fi", script);
        Assert.Contains("\nexport DOTNET_TieredCompilation=0\n", script);  // several ranks: no background recompiles
        Assert.Contains("training runs as one process instead of 8", script); // no mpirun: one process, and it says so
        Assert.Contains("export TERM=dumb", script);
    }

    [Fact]
    public void A_job_array_reads_its_overrides_from_the_point_table_by_task_id()
    {
        var script = JobScript.Render(Job(table: "/home/me/project/runs/p-sweep/points.tsv", array: "0-5%2"));

        Assert.Contains("#SBATCH --array=0-5%2\n", script);
        Assert.Contains("point=\"${SLURM_ARRAY_TASK_ID:-${1:?", script);
        Assert.Contains("line=$(awk -F'\\t' -v i=\"$point\" '$1 == i' /home/me/project/runs/p-sweep/points.tsv)", script);
        Assert.Contains("--resume-if-possible \"${sets[@]}\" &\n", script);
    }

    [Fact]
    public void Paths_with_spaces_and_quotes_are_quoted_for_bash()
    {
        Assert.Equal("'/my runs/it'\\''s'", Shell.Quote("/my runs/it's"));
        Assert.Equal("train.lr=1e-3", Shell.Quote("train.lr=1e-3"));
        Assert.Equal("''", Shell.Quote(""));
    }

    [Fact]
    public void Bash_parses_the_script()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hpclearn-script-{Guid.NewGuid():N}.sbatch");
        File.WriteAllText(file, JobScript.Render(Job(new ClusterOptions { Nodes = 2, Setup = ["echo hi"] }, "/tmp/points.tsv", "0-1")));
        try
        {
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-n", file]) { RedirectStandardError = true })!;
            string err = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, err);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void The_script_follows_cluster_signals_exactly()
    {
        var termOnly = JobScript.Render(Job(new ClusterOptions { Signals = ["term"] }));
        Assert.DoesNotContain("--signal", termOnly.Replace("# No --signal:", ""));
        Assert.Contains("\n# No --signal: cluster.signals lists neither usr1 nor usr2", termOnly);
        Assert.Contains("\ntrap 'kill -TERM \"$child\" 2>/dev/null' TERM\n", termOnly);
        Assert.DoesNotContain("USR1", termOnly);

        var usr2 = JobScript.Render(Job(new ClusterOptions { Signals = ["usr2", "term", "int"] }));
        Assert.Contains("\n#SBATCH --signal=B:USR2@120\n", usr2);
        Assert.Contains("\ntrap 'kill -USR2 \"$child\" 2>/dev/null' USR2\n", usr2);
        Assert.Contains("\ntrap 'kill -INT \"$child\" 2>/dev/null' INT\n", usr2);
        Assert.DoesNotContain("USR1", usr2);
    }
}
