using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Slurm;

/// <summary>A sweep point that fails on a real (local) Slurm: seen in status and sweep-report, then rerun.</summary>
[Trait("Category", "slurm")]
public sealed class SlurmFailureTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly SlurmFixture _slurm;

    public SlurmFailureTests(ITestOutputHelper output) => _slurm = new SlurmFixture(output);

    public void Dispose()
    {
        _slurm.Dispose();
        _tmp.Dispose();
    }

    private static string JobId(CliResult r, string prefix) =>
        r.Out.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Split(' ', ':')[0];

    [SkippableFact]
    public void A_sweep_point_without_its_data_file_shows_as_failed_and_reruns_once_it_is_there_or_says_slurm_is_missing()
    {
        if (!_slurm.Available()) return;
        string good = _tmp.Write("good.csv", string.Join("\n",
            ["a,b,y", .. Enumerable.Range(0, 60).Select(i => $"{i % 7},{i * 3 % 11},{(i % 2 == 0 ? "p" : "q")}")]) + "\n");
        string missing = _tmp["missing.csv"];
        var config = _tmp.Write("m.yaml", Cli.Cli.TinyYaml("m", data: $"{{path: '{good}', target: y}}"));
        var dir = Path.Combine(_tmp["runs"], "m-sweep");
        string Logs() => SlurmFixture.Read(Path.Combine(dir, "0", "job.log")) + SlurmFixture.Read(Path.Combine(dir, "1", "job.log"));

        var r = Cli.Cli.Run("sweep", config, "--out", _tmp["runs"], "--grid", $"data.path={good},{missing}", "--cpus-per-task", "1").AssertOk();
        string id = _slurm.Track(JobId(r, "submitted job array "));
        _slurm.WaitGone(id, TimeSpan.FromSeconds(120), Logs);

        var status = Cli.Cli.Run("status", dir).AssertOk().Out;
        Assert.Contains($"job:        {id} 1 COMPLETED, 1 FAILED (point 1)", status);
        Assert.Contains("    0  finished, 2 epochs  [", status);
        Assert.Contains($"    1  FAILED (exit 2), before its first checkpoint: data file '{missing}' not found  [data.path={missing}]\n", status);
        Assert.Contains($"failed:     point 1; rerun it: hpclearn sweep --rerun-failed {dir}\n", status);
        var report = Cli.Cli.Run("sweep-report", dir).AssertOk().Out;
        Assert.Contains($"\nFailed (1):\n\n- 1: exit 2: data file '{missing}' not found\n", report);
        Assert.DoesNotContain("Not finished", report);

        File.Copy(good, missing);
        var rerun = Cli.Cli.Run("sweep", "--rerun-failed", dir).AssertOk();
        Assert.Contains($"  1: data.path={missing}  (failed: exit 2: data file '{missing}' not found)\n", rerun.Out);
        string again = _slurm.Track(JobId(rerun, "resubmitted 1 failed point as job array "));
        _slurm.WaitGone(again, TimeSpan.FromSeconds(120), Logs);

        status = Cli.Cli.Run("status", dir).AssertOk().Out;
        Assert.Contains($"job:        {again} 1 COMPLETED", status);
        Assert.Contains("    1  finished, 2 epochs  [", status);
        Assert.DoesNotContain("failed:", status);
        report = Cli.Cli.Run("sweep-report", dir).AssertOk().Out;
        Assert.DoesNotContain("Failed", report);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "ranking.csv")).Length); // header and both points
        // The point's log holds both attempts: Slurm appends.
        var log = File.ReadAllText(Path.Combine(dir, "1", "job.log"));
        Assert.Contains("hpclearn exited with code 2", log);
        Assert.Contains("hpclearn exited with code 0", log);
    }
}
