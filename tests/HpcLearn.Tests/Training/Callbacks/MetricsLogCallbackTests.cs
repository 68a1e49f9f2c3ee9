using System.Globalization;
using HpcLearn.Tests.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Callbacks;

public sealed class MetricsLogCallbackTests
{
    private static string[][] Rows(string csv) => File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();

    [Fact]
    public void Writes_a_csv_row_per_epoch_and_tensorboard_events()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        var log = new MetricsLogCallback(dir.Path);
        using var t = new Tiny(metrics: Tiny.Mae, callbacks: [log]);

        t.Learner.Fit(3);

        var lines = File.ReadAllLines(log.CsvPath);
        Assert.Equal("step,epoch,train_loss,valid_loss,mae,lr,seconds", lines[0]);
        Assert.Equal(4, lines.Length);
        var rows = Rows(log.CsvPath);
        for (int i = 0; i < 3; i++)
        {
            var r = t.Learner.History[i];
            Assert.Equal(((i + 1) * Tiny.Batches).ToString(CultureInfo.InvariantCulture), rows[i][0]);
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), rows[i][1]);
            Assert.Equal(r.TrainLoss, double.Parse(rows[i][2], CultureInfo.InvariantCulture), r.TrainLoss * 1e-5);
            Assert.Equal(r.ValidLoss, double.Parse(rows[i][3], CultureInfo.InvariantCulture), r.ValidLoss * 1e-5);
            Assert.Equal(r.Metrics["mae"], double.Parse(rows[i][4], CultureInfo.InvariantCulture), 1e-5);
            Assert.Equal(0.01, double.Parse(rows[i][5], CultureInfo.InvariantCulture));
            Assert.True(double.Parse(rows[i][6], CultureInfo.InvariantCulture) >= 0);
        }
        var events = Directory.GetFiles(Path.Combine(dir.Path, "tensorboard"), "events.out.tfevents*", SearchOption.AllDirectories);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.True(new FileInfo(e).Length > 0, $"{e} is empty"));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void After_a_resume_from_an_earlier_checkpoint_the_csv_has_no_duplicate_epochs()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDir();
        var store = new CheckpointStore(Path.Combine(dir.Path, "checkpoints"), keep: 10);
        using (var first = new Tiny(callbacks: [new MetricsLogCallback(dir.Path, tensorBoard: false), new CheckpointCallback(store)]))
            first.Learner.Fit(4);
        // The run is rolled back to epoch 2 (as if epochs 3 and 4 had never been saved).
        foreach (var (epoch, path) in store.List().Where(c => c.Epoch > 2)) File.Delete(path);

        using var second = new Tiny(callbacks: [new MetricsLogCallback(dir.Path, tensorBoard: false), new CheckpointCallback(store)]);
        Assert.Equal(2, store.RestoreLatest(second.Learner, _ => { })!.Epoch);
        second.Learner.Continue();

        var epochs = Rows(Path.Combine(dir.Path, "metrics.csv")).Select(r => int.Parse(r[1], CultureInfo.InvariantCulture));
        Assert.Equal([1, 2, 3, 4], epochs);
    }
}
