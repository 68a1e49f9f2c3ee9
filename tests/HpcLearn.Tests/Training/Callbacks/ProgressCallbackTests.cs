using System.Text.RegularExpressions;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training.Callbacks;

public sealed class ProgressCallbackTests
{
    [Fact]
    public void In_a_log_it_writes_one_plain_line_per_epoch()
    {
        using var scope = torch.NewDisposeScope();
        var output = new StringWriter();
        // No in-epoch lines: those come only after LogInterval.
        using var t = new Tiny(metrics: Tiny.Mae, callbacks: [new ProgressCallback(output, isTerminal: false) { LogInterval = TimeSpan.FromDays(1) }]);

        t.Learner.Fit(3);

        string text = output.ToString();
        Assert.DoesNotContain('\r', text);
        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        for (int i = 0; i < 3; i++)
            Assert.Matches(new Regex($@"^epoch {i + 1}/3  train_loss \d+\.\d{{4}}  valid_loss \d+\.\d{{4}}  mae \d+\.\d{{4}}  lr 0\.01  \d+\.\ds{(i < 2 ? @"  eta \d+:\d\d" : "")}$"), lines[i]);
    }

    [Theory]
    [InlineData(6e-5, "lr 6e-05")]
    [InlineData(0.0003, "lr 0.0003")]
    [InlineData(1e-7, "lr 1e-07")]
    [InlineData(0.003, "lr 0.003")]
    public void Learning_rates_print_for_people_not_as_dotnets_exponent(double lr, string expected)
    {
        var line = ProgressCallback.FormatEpoch(new EpochRecord(1, 10, 0.5, double.NaN, new Dictionary<string, double>(), lr, 1.25), 3);
        Assert.Equal($"epoch 1/3  train_loss 0.5000  {expected}  1.2s", line);
        Assert.DoesNotContain("E-", line);
    }

    [Theory]
    [InlineData(0.0, "0:00")]
    [InlineData(42.4, "0:42")]
    [InlineData(59.6, "1:00")]
    [InlineData(754.0, "12:34")]
    [InlineData(3600.0, "1:00:00")]
    [InlineData(37230.0, "10:20:30")]
    [InlineData(-5.0, "0:00")]
    public void The_time_left_prints_as_minutes_and_seconds_and_hours_from_an_hour(double seconds, string expected) =>
        Assert.Equal(expected, ProgressCallback.FormatEta(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_eta_is_the_mean_epoch_time_times_the_epochs_left_and_the_last_epoch_has_none()
    {
        var output = new StringWriter();
        var progress = new ProgressCallback(output, isTerminal: false);
        using var scope = torch.NewDisposeScope();
        using var t = new Tiny(callbacks: []);
        t.Learner.Plan = new FitPlan(default, 0.01, 0, 40, 4); // epochs 1..4
        progress.OnFitStart(t.Learner);
        var none = new Dictionary<string, double>();
        progress.OnEpochEnd(t.Learner, new EpochRecord(1, 10, 0.5, double.NaN, none, 0.01, 10.0));
        progress.OnEpochEnd(t.Learner, new EpochRecord(2, 20, 0.5, double.NaN, none, 0.01, 20.0));
        progress.OnEpochEnd(t.Learner, new EpochRecord(4, 40, 0.5, double.NaN, none, 0.01, 30.0));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("10.0s  eta 0:30", lines[0]); // 10 s a epoch, 3 left
        Assert.EndsWith("20.0s  eta 0:30", lines[1]); // 15 s a epoch, 2 left
        Assert.EndsWith("30.0s", lines[2]);
    }

    [Fact]
    public void In_a_log_with_a_zero_interval_it_also_writes_a_line_per_batch()
    {
        using var scope = torch.NewDisposeScope();
        var output = new StringWriter();
        using var t = new Tiny(callbacks: [new ProgressCallback(output, isTerminal: false) { LogInterval = TimeSpan.Zero }]);

        t.Learner.Fit(1);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Tiny.Batches + 1, lines.Length);
        for (int b = 1; b <= Tiny.Batches; b++)
            Assert.StartsWith($"epoch 1/1  batch {b}/{Tiny.Batches}  loss ", lines[b - 1]);
        Assert.StartsWith("epoch 1/1  train_loss ", lines[^1]);
    }

    [Fact]
    public void On_a_terminal_it_redraws_a_bar_in_place()
    {
        using var scope = torch.NewDisposeScope();
        var output = new StringWriter();
        using var t = new Tiny(callbacks: [new ProgressCallback(output, isTerminal: true)]);

        t.Learner.Fit(2);

        string text = output.ToString();
        Assert.Contains($"\repoch 1/2 [", text);
        Assert.Contains($"] {Tiny.Batches}/{Tiny.Batches} loss ", text);
        Assert.Contains("epoch 2/2  train_loss ", text);
    }

    [Fact]
    public void A_stopped_fit_says_why()
    {
        using var scope = torch.NewDisposeScope();
        var output = new StringWriter();
        using var t = new Tiny(callbacks: [new StopAtEpoch(1), new ProgressCallback(output, isTerminal: false)]);

        t.Learner.Fit(3);

        Assert.EndsWith($"stopped: {nameof(StopAtEpoch)}{Environment.NewLine}", output.ToString());
    }
}
