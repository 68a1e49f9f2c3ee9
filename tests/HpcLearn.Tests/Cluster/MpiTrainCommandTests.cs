using System.Text.Json;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary><c>mpirun -np 2 hpclearn train</c>: one run folder written by rank 0, one history, a model.</summary>
[Collection(MpiCollection.Name)]
public sealed class MpiTrainCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Two_ranks_train_one_run_folder_written_once_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Path.Combine(_dir, "ddp.yaml");
        File.WriteAllText(config, "task: tabular\nname: ddp\ndata: {builtin_rows: 1200}\nmodel: {layers: [32]}\ntrain: {epochs: 3, batch_size: 32}\n");

        var r = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", config, "--out", Path.Combine(_dir, "runs"));
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.Equal(0, r.ExitCode);

        // Rank 0 alone prints: one start-up line, one line per epoch, one table.
        Assert.Single(r.Output.Split('\n'), l => l.StartsWith("data parallel: 2 ranks", StringComparison.Ordinal));
        Assert.Single(r.Output.Split('\n'), l => l.StartsWith("epoch 3/3", StringComparison.Ordinal));
        Assert.Contains("threads: 1 (from usable cores / 2 ranks on this node)", r.Output);

        string run = Path.Combine(_dir, "runs", "ddp");
        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal(4, csv.Length); // header + 3 epochs, written once
        // 960 training rows, 32 per rank per step on 2 ranks: 15 global steps per epoch.
        Assert.Equal("45,3", string.Join(",", csv[3].Split(',').Take(2))); // step, epoch
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("beats_baseline").GetBoolean());
        Assert.True(File.Exists(Path.Combine(run, "model", ModelArtifact.WeightsFile)));
        Assert.Equal(["epoch-0001.ckpt", "epoch-0002.ckpt", "epoch-0003.ckpt"],
            Directory.GetFiles(Path.Combine(run, "checkpoints")).Select(Path.GetFileName).Order());
    }

    [SkippableTheory]
    [InlineData("explicit", "rmse")]
    [InlineData("implicit", "ndcg_at_10")]
    public void Two_ranks_train_a_recommender_once_or_says_mpi_is_missing(string feedback, string metric)
    {
        if (MpiRun.Missing(output)) return;
        string name = "rec-" + feedback;
        string config = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(config, $"task: recommend\nname: {name}\nthreads: 1\n" +
            $"data: {{feedback: {feedback}, synthetic: {{users: 200, items: 150, ratings: 8000}}}}\n" +
            "model: {factors: 8}\ntrain: {epochs: 3, batch_size: 128}\n");

        var r = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", config, "--out", Path.Combine(_dir, "runs"));
        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "mpirun did not finish");
        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Output.Split('\n'), l => l.StartsWith("data parallel: 2 ranks", StringComparison.Ordinal));
        string run = Path.Combine(_dir, "runs", name);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length); // header + 3 epochs, written once
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        Assert.Equal(metric, summary.RootElement.GetProperty("primary_metric").GetString());
        Assert.True(double.IsFinite(summary.RootElement.GetProperty(metric).GetDouble()), r.Output);
        Assert.True(File.Exists(Path.Combine(run, "model", ModelArtifact.WeightsFile)));
    }

    [SkippableFact]
    public void A_stopped_and_resumed_epoch_has_the_uninterrupted_train_loss_or_says_mpi_is_missing()
    {
        // Each rank sums the losses of its own batches; rank 0 alone writes the checkpoint, so the
        // other ranks' sums of the stopped epoch were lost (0.290907 against 0.289048 uninterrupted).
        if (MpiRun.Missing(output)) return;
        string yaml(string name) => $"task: tabular\nname: {name}\ndata: {{builtin_rows: 1200}}\nmodel: {{layers: [32]}}\ntrain: {{epochs: 2, batch_size: 32}}\ncluster: {{requeue: false}}\n";
        string runs = Path.Combine(_dir, "runs");
        File.WriteAllText(Path.Combine(_dir, "straight.yaml"), yaml("straight"));
        File.WriteAllText(Path.Combine(_dir, "stopped.yaml"), yaml("stopped"));
        var straight = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", Path.Combine(_dir, "straight.yaml"), "--out", runs);
        Assert.True(straight.ExitCode == 0, straight.Output);

        // A job that ends inside the 120 s margin: the deadline stops both ranks after the first batch.
        var ending = new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = "5",
            ["SLURM_JOB_END_TIME"] = DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var stopped = MpiRun.CliWith(2, TimeSpan.FromMinutes(3), ending, "train", Path.Combine(_dir, "stopped.yaml"), "--out", runs);
        output.WriteLine(stopped.Output);
        Assert.True(stopped.ExitCode == 3, stopped.Output);
        Assert.Contains("-batch-", string.Join(",", Directory.GetFiles(Path.Combine(runs, "stopped", "checkpoints")).Select(Path.GetFileName)));
        var resumed = MpiRun.Cli(2, TimeSpan.FromMinutes(3), "train", Path.Combine(_dir, "stopped.yaml"), "--out", runs, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.Output);

        // epoch, step, train_loss, valid_loss, metrics...: the same to the last digit written.
        var a = File.ReadAllLines(Path.Combine(runs, "straight", "metrics.csv"));
        var b = File.ReadAllLines(Path.Combine(runs, "stopped", "metrics.csv"));
        Assert.Equal(a.Length, b.Length);
        for (int i = 1; i < a.Length; i++)
            Assert.Equal(a[i].Split(',')[..^1], b[i].Split(',')[..^1]); // the last column is seconds
    }
}
