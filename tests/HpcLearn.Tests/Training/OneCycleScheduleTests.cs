using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Training;

public sealed class OneCycleScheduleTests
{
    private const double Tol = 1e-12;

    [Fact]
    public void Starts_at_max_over_25_peaks_at_the_warmup_end_and_ends_at_max_over_25e4()
    {
        var s = Schedule.OneCycle(1.0);

        Assert.Equal(0.04, s.LearningRate(0, 100), Tol);
        Assert.Equal(1.0, s.LearningRate(25, 100), Tol);
        Assert.Equal(4e-6, s.LearningRate(100, 100), Tol);
    }

    [Fact]
    public void Matches_hand_computed_cosine_values()
    {
        var s = Schedule.OneCycle(1.0);

        // Warm-up, t = 10/25 = 0.4: 1 + (0.04 − 1)/2 · (1 + cos 0.4π) = 1 − 0.48 · 1.309016994...
        Assert.Equal(0.371671842700025, s.LearningRate(10, 100), 1e-12);
        // Warm-up halfway (warm = 50 of 200): the mean of start and peak.
        Assert.Equal(0.52, s.LearningRate(25, 200), Tol);
        // Annealing, t = (50 − 25)/75 = 1/3: 4e-6 + (1 − 4e-6)/2 · (1 + cos π/3) = 0.75 + 1e-6.
        Assert.Equal(0.750001, s.LearningRate(50, 100), Tol);
        // Annealing halfway (t = 0.5): the mean of peak and end.
        Assert.Equal((1 + 4e-6) / 2, s.LearningRate(125, 200), Tol);
        // Scales with the peak.
        Assert.Equal(0.3 * 0.750001, Schedule.OneCycle(0.3).LearningRate(50, 100), Tol);
    }

    [Fact]
    public void Rises_monotonically_to_the_peak_then_falls_monotonically()
    {
        var s = Schedule.OneCycle(0.5);
        var lr = Enumerable.Range(0, 401).Select(i => s.LearningRate(i, 400)).ToArray();

        for (int i = 1; i <= 100; i++) Assert.True(lr[i] > lr[i - 1], $"not rising at {i}");
        for (int i = 101; i <= 400; i++) Assert.True(lr[i] < lr[i - 1], $"not falling at {i}");
        Assert.Equal(0.5, lr.Max(), Tol);
    }

    [Fact]
    public void Steps_outside_the_range_are_clamped()
    {
        var s = Schedule.OneCycle(1.0);
        Assert.Equal(s.LearningRate(0, 100), s.LearningRate(-5, 100), Tol);
        Assert.Equal(s.LearningRate(100, 100), s.LearningRate(150, 100), Tol);
    }

    [Fact]
    public void Constant_schedule_is_constant()
    {
        var s = Schedule.Constant(3e-3);
        Assert.All(new long[] { 0, 1, 50, 99, 100, 1000 }, step => Assert.Equal(3e-3, s.LearningRate(step, 100)));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.OneCycle(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.OneCycle(1, warmupFraction: 1));
    }

    /// <summary>Records the learning rate the optimiser had at every step.</summary>
    private sealed class LrSpy : Callback
    {
        public List<double> Rates { get; } = new();

        public override void AfterBackward(Learner learner) => Rates.Add(learner.LearningRate);
    }

    [Fact]
    public void Learner_applies_the_schedule_at_every_step()
    {
        using var scope = torch.NewDisposeScope();
        var spy = new LrSpy();
        using var t = new Tiny(callbacks: [spy]);

        t.Learner.FitOneCycle(3, maxLr: 0.02);

        long total = 3L * Tiny.Batches;
        var s = Schedule.OneCycle(0.02);
        Assert.Equal(Enumerable.Range(0, (int)total).Select(i => s.LearningRate(i, total)), spy.Rates);
        Assert.Equal(s.LearningRate(total - 1, total), t.Learner.LearningRate);
        Assert.Equal(s.LearningRate(total - 1, total), t.Learner.History[^1].LearningRate);
        Assert.Equal(s.LearningRate(Tiny.Batches - 1, total), t.Learner.History[0].LearningRate);
    }

    [Fact]
    public void Constant_fit_applies_the_options_rate()
    {
        using var scope = torch.NewDisposeScope();
        var spy = new LrSpy();
        using var t = new Tiny(Tiny.ConstantLr with { LearningRate = 0.007 }, callbacks: [spy]);

        t.Learner.Fit(1);

        Assert.Equal(Enumerable.Repeat(0.007, Tiny.Batches), spy.Rates);
    }
}
