using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// One-cycle: cosine warm-up from maxLr/divStart to maxLr over the first warmupFraction of the
/// steps, then cosine annealing down to maxLr/(divStart·divFinal). The large middle learning
/// rate regularises; the long tail settles into a minimum.
/// </summary>
public sealed class OneCycleSchedule : Schedule
{
    /// <summary>Creates the schedule.</summary>
    public OneCycleSchedule(double maxLr, double warmupFraction, double divStart, double divFinal)
    {
        if (!(maxLr > 0)) throw new ArgumentOutOfRangeException(nameof(maxLr));
        if (warmupFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(warmupFraction));
        MaxLr = maxLr; WarmupFraction = warmupFraction; DivStart = divStart; DivFinal = divFinal;
    }

    /// <summary>Peak learning rate.</summary>
    public double MaxLr { get; }
    /// <summary>Share of the steps spent warming up.</summary>
    public double WarmupFraction { get; }
    /// <summary>Start at MaxLr / DivStart.</summary>
    public double DivStart { get; }
    /// <summary>End at MaxLr / (DivStart · DivFinal).</summary>
    public double DivFinal { get; }

    /// <inheritdoc />
    public override double LearningRate(long step, long totalSteps)
    {
        double start = MaxLr / DivStart, end = start / DivFinal;
        double warm = Math.Max(1, WarmupFraction * totalSteps);
        double p = Math.Clamp(step, 0, totalSteps);
        return p < warm
            ? Cosine(start, MaxLr, p / warm)
            : Cosine(MaxLr, end, (p - warm) / Math.Max(1, totalSteps - warm));
    }

    private static double Cosine(double from, double to, double t)
        => to + (from - to) / 2 * (1 + Math.Cos(Math.PI * Math.Clamp(t, 0, 1)));
}
