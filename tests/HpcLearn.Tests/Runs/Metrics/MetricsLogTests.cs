using HpcLearn.Runs.Metrics;
using HpcLearn.Tests.Data;
using Xunit;

namespace HpcLearn.Tests.Runs.Metrics;

public sealed class MetricsLogTests
{
    [Fact]
    public void The_csv_is_step_epoch_then_the_columns_in_first_seen_order_with_empty_cells_for_nan_absent_and_no_epoch()
    {
        var rows = new List<MetricsRow>
        {
            MetricsRow.Of(10, 1, ("train_loss", 0.5), ("valid_loss", double.NaN), ("seconds", 1.23456)),
            MetricsRow.Of(20, null, ("train_loss", 0.25), ("positions", 1234567), ("seconds", 2)),
        };

        Assert.Equal("step,epoch,train_loss,valid_loss,seconds,positions\n10,1,0.5,,1.235,\n20,,0.25,,2.000,1234567\n", MetricsLog.Csv(rows));
    }

    [Fact]
    public void Write_rewrites_the_file_from_the_history_so_a_shorter_history_after_a_resume_leaves_no_stale_rows()
    {
        using var dir = new TempDir();
        using var log = new MetricsLog(dir.Path, tensorBoard: false);
        var rows = Enumerable.Range(1, 4).Select(i => MetricsRow.Of(i, null, ("loss", 1.0 / i))).ToList();
        log.Write(rows);
        log.Add(rows.Take(2).ToList(), rows[1]);

        Assert.Equal(["step,epoch,loss", "1,,1", "2,,0.5"], File.ReadAllLines(log.CsvPath));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, MetricsLog.TensorBoardFolder)));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void The_reader_gives_back_step_epoch_and_the_columns_by_name_with_nan_for_empty_cells()
    {
        using var dir = new TempDir();
        using var log = new MetricsLog(dir.Path, tensorBoard: false);
        log.Write([MetricsRow.Of(3, null, ("loss", 0.75), ("lbfgs", 0)), MetricsRow.Of(4, null, ("loss", double.NaN), ("lbfgs", 1))]);

        var h = MetricsCsvReader.Read(log.CsvPath);

        Assert.Equal([3.0, 4.0], h.Step);
        Assert.All(h.Epoch, e => Assert.True(double.IsNaN(e)));
        Assert.False(h.HasEpochs);
        Assert.Equal("step", h.XName);
        Assert.Equal(["loss", "lbfgs"], h.Columns.Select(c => c.Key));
        Assert.Equal(0.75, h.Column("loss")![0]);
        Assert.True(double.IsNaN(h.Column("loss")![1]));
        Assert.True(h.Has("lbfgs"));
        Assert.Null(h.Column("epoch"));
    }

    [Fact]
    public void The_reader_takes_an_older_file_with_epoch_first_and_no_step_by_name()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "metrics.csv");
        File.WriteAllText(path, "epoch,train_loss,lr\n1,0.9,0.01\n2,0.8,0.01\n");

        var h = MetricsCsvReader.Read(path);

        Assert.True(h.HasEpochs);
        Assert.Equal([1.0, 2.0], h.X);
        Assert.All(h.Step, s => Assert.True(double.IsNaN(s)));
        Assert.Equal([0.9, 0.8], h.Column("train_loss")!);
    }

    [Fact]
    public void Last_row_and_last_values_read_what_status_and_the_preflight_need_and_are_null_or_empty_without_a_file()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "metrics.csv");
        Assert.Null(MetricsCsvReader.LastRow(path));
        Assert.Empty(MetricsCsvReader.LastValues(path, "seconds", 3));

        File.WriteAllText(path, "step,epoch,train_loss,seconds\n5,,0.5,1.000\n10,,0.4,3.000\n15,,,5.000\n");
        Assert.Equal(new Dictionary<string, string> { ["step"] = "15", ["seconds"] = "5.000" }, MetricsCsvReader.LastRow(path));
        Assert.Equal([3.0, 5.0], MetricsCsvReader.LastValues(path, "seconds", 2));
        Assert.Empty(MetricsCsvReader.LastValues(path, "lr", 2));
    }

    [Theory]
    [InlineData("train_loss", "loss/train")]
    [InlineData("valid_loss", "loss/valid")]
    [InlineData("valid_bits_per_char", "valid/bits_per_char")]
    [InlineData("judge_policy", "judge_policy")]
    [InlineData("seconds", null)]
    public void Columns_map_to_tensorboard_tags_by_convention(string column, string? tag) => Assert.Equal(tag, MetricsLog.DefaultTag(column));

    [Fact]
    public void Tensorboard_gets_one_event_file_with_the_rows_scalars_and_step_points_only_every_interval()
    {
        using var dir = new TempDir();
        using (var log = new MetricsLog(dir.Path, tensorBoard: true) { StepLogInterval = 10 })
        {
            var row = MetricsRow.Of(7, null, ("train_loss", 0.5), ("seconds", 1));
            log.Add([row], row);
            for (int step = 1; step <= 25; step++) log.StepScalar("loss/train_step", 1.0 / step, step);
        }
        var file = Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, MetricsLog.TensorBoardFolder), "events.out.tfevents.*", SearchOption.AllDirectories));
        byte[] bytes = File.ReadAllBytes(file);
        Assert.Equal(1, Tags(bytes, "loss/train"));
        Assert.Equal(2, Tags(bytes, "loss/train_step")); // steps 10 and 20
        Assert.Equal(0, Tags(bytes, "seconds"));
    }

    /// <summary>How often <paramref name="tag"/> is written as Summary.Value.tag: field 1, length-delimited (0x0A, length, bytes).</summary>
    private static int Tags(byte[] file, string tag)
    {
        byte[] field = [0x0A, (byte)tag.Length, .. System.Text.Encoding.ASCII.GetBytes(tag)];
        int count = 0;
        for (int from = 0; from <= file.Length; count++)
        {
            int at = file.AsSpan(from).IndexOf(field);
            if (at < 0) break;
            from += at + 1;
        }
        return count;
    }
}
