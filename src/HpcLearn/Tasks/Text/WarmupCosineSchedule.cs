namespace HpcLearn.Tasks.Text;

/// <summary>
/// Linear warm-up then cosine decay, the usual schedule for transformers:
/// <code>
/// lr(s) = peak · (s + 1) / W                                          s &lt; W
/// lr(s) = min + ½ (peak − min) (1 + cos(π (s − W) / (S − W)))         W ≤ s &lt; S
/// </code>
/// for step s of S steps, W warm-up steps and min = ratio · peak.
/// </summary>
/// <param name="Peak">The rate at the end of the warm-up.</param>
/// <param name="Warmup">W.</param>
/// <param name="Total">S.</param>
/// <param name="MinRatio">The final rate as a share of <paramref name="Peak"/>.</param>
public sealed record WarmupCosineSchedule(double Peak, int Warmup, int Total, double MinRatio)
{
    /// <summary>The rate for 0-based step <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < Warmup) return Peak * (step + 1) / Warmup;
        double min = MinRatio * Peak;
        double progress = Total > Warmup ? Math.Min(1.0, (step - Warmup) / (double)(Total - Warmup)) : 1.0;
        return min + 0.5 * (Peak - min) * (1 + Math.Cos(Math.PI * progress));
    }
}
