using System.Text.Json;
using HpcLearn.Cli;
using HpcLearn.Cluster;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>
/// What <c>train</c> leaves of each attempt in its run folder: failure.json for an error (and not
/// for a stop with a checkpoint), superseded by a later attempt; attempts.jsonl; and the training
/// time summed over attempts in summary.json.
/// </summary>
public sealed class CliFailureRecordTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Runs => _tmp["runs"];

    private string Csv(string name) => _tmp.Write(name, string.Join("\n",
        ["a,b,y", .. Enumerable.Range(0, 60).Select(i => $"{i % 7},{i * 3 % 11},{(i % 2 == 0 ? "p" : "q")}")]) + "\n");

    private string CsvConfig(string name, string dataPath, int epochs = 2) =>
        _tmp.Write($"{name}.yaml", Cli.TinyYaml(name, epochs, data: $"{{path: '{dataPath}', target: y}}"));

    private static Dictionary<string, double> Timings(string run)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        return doc.RootElement.GetProperty("timings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    [Fact]
    public void A_missing_data_file_in_an_existing_run_folder_writes_failure_json_and_a_later_success_removes_it()
    {
        // As sweep leaves a point's folder before its job runs: it exists, no run has started in it.
        string missing = _tmp["later.csv"];
        var config = CsvConfig("p", missing);
        string run = Directory.CreateDirectory(Path.Combine(Runs, "p")).FullName;

        Cli.Run("train", config, "--out", Runs, "--resume-if-possible").AssertUserError($"data file '{missing}' not found");

        var failure = RunAttempt.ReadFailure(run)!;
        Assert.Equal(RunAttempt.Failed, failure.Outcome);
        Assert.Equal(2, failure.ExitCode);
        Assert.Equal($"data file '{missing}' not found", failure.Reason);
        Assert.Equal(1, failure.Attempt);
        Assert.Equal(Environment.MachineName, failure.Host);
        Assert.Null(failure.JobId);
        Assert.True(failure.EndedUtc >= failure.StartedUtc);
        Assert.False(RunFolder.IsStarted(run)); // the record alone does not make it a started run

        File.Copy(Csv("data.csv"), missing);
        Cli.Run("train", config, "--out", Runs, "--resume-if-possible").AssertOk();

        Assert.False(File.Exists(Path.Combine(run, RunAttempt.FailureFile)));
        Assert.Equal([(1, RunAttempt.Failed, 2), (2, RunAttempt.Finished, 0)],
            RunAttempt.History(run).Select(a => (a.Attempt, a.Outcome, a.ExitCode)));
    }

    [Fact]
    public void A_diverged_run_writes_failure_json_that_status_shows_and_a_restart_that_finishes_removes_it()
    {
        var config = _tmp.Write("d.yaml", Cli.TinyYaml("d").Replace("{epochs: 2}", "{epochs: 2, lr: 1.0e+30}"));
        string run = Path.Combine(Runs, "d");

        var r = Cli.Run("train", config, "--out", Runs);

        Assert.Equal(2, r.ExitCode);
        var failure = RunAttempt.ReadFailure(run)!;
        Assert.StartsWith("training diverged in epoch 1", failure.Reason);
        Assert.Equal(r.Err, $"error: {failure.Reason}{Environment.NewLine}");
        var status = Cli.Run("status", run).AssertOk().Out;
        Assert.Contains("progress:   FAILED (exit 2)", status);
        Assert.Contains($"error:      {failure.Reason}\n", status);
        Assert.Matches(@"failed at:  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC on .+, attempt 1\n", status);

        Cli.Run("train", config, "--out", Runs, "--resume-if-possible", "--set", "train.lr=0.01").AssertOk();

        Assert.Null(RunAttempt.ReadFailure(run));
        Assert.Contains("progress:   finished, 2 epochs\n", Cli.Run("status", run).AssertOk().Out);
    }

    [Fact]
    public void A_second_plain_train_refused_on_a_finished_run_leaves_no_failure_in_its_folder()
    {
        var config = _tmp.Write("f.yaml", Cli.TinyYaml("f"));
        Cli.Run("train", config, "--out", Runs).AssertOk();
        string run = Path.Combine(Runs, "f");

        Cli.Run("train", config, "--out", Runs).AssertUserErrorStartsWith($"run folder '{run}' already exists");

        Assert.Null(RunAttempt.ReadFailure(run));
        Assert.Equal([RunAttempt.Finished], RunAttempt.History(run).Select(a => a.Outcome));
        Assert.Contains("progress:   finished, 2 epochs\n", Cli.Run("status", run).AssertOk().Out);
    }

    [Fact]
    public void A_stop_for_the_deadline_is_no_failure_and_summary_counts_the_train_time_of_both_attempts()
    {
        var config = _tmp.Write("t.yaml", Cli.TinyYaml("t", epochs: 3));
        string run = Path.Combine(Runs, "t");
        var now = DateTimeOffset.UtcNow;
        var ending = new CliHost
        {
            Environment = new Dictionary<string, string> { ["SLURM_JOB_ID"] = "8", ["SLURM_JOB_END_TIME"] = now.AddSeconds(10).ToUnixTimeSeconds().ToString() },
            Clock = new ManualClock(now), Commands = new FakeCommands().On("scontrol", ""), ListenForSignals = _ => StopSignals.None(),
        };
        Assert.Equal(CliApp.Stopped, Cli.Run(ending, "train", config, "--out", Runs).ExitCode);

        Assert.Null(RunAttempt.ReadFailure(run));
        var stopped = Assert.Single(RunAttempt.History(run));
        Assert.Equal((RunAttempt.Stopped, 3, "8", 0), (stopped.Outcome, stopped.ExitCode, stopped.JobId, stopped.SlurmRestartCount));
        double first;
        using (var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, TrainTime.FileName))))
        {
            Assert.Equal(1, saved.RootElement.GetProperty("attempts").GetInt32());
            first = saved.RootElement.GetProperty("train_seconds").GetDouble();
        }
        Assert.True(first > 0);

        Cli.Run("train", config, "--out", Runs, "--resume").AssertOk();

        var timings = Timings(run);
        double last = timings["train_seconds_last_attempt"];
        Assert.True(last > 0);
        // Both are rounded to milliseconds, the total after adding.
        Assert.InRange(timings["train_seconds"] - (first + last), -0.0015, 0.0015);
        Assert.True(timings["train_seconds"] > last);
        Assert.Equal([RunAttempt.Stopped, RunAttempt.Finished], RunAttempt.History(run).Select(a => a.Outcome));
    }

    [Fact]
    public void A_run_in_one_attempt_has_equal_total_and_last_attempt_train_seconds()
    {
        var config = _tmp.Write("o.yaml", Cli.TinyYaml("o"));
        Cli.Run("train", config, "--out", Runs).AssertOk();

        var timings = Timings(Path.Combine(Runs, "o"));
        Assert.Equal(timings["train_seconds"], timings["train_seconds_last_attempt"]);
    }
}
