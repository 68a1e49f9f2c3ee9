using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>
/// How well a classifier's confidence matches its accuracy (Guo et al. 2017, "On Calibration of
/// Modern Neural Networks"). Confidence is the top-class probability; a row is correct when
/// the top class (the lowest index on a tie) is the true class.
/// </summary>
public static class Calibration
{
    /// <summary>The number of bins used by default, as in Guo et al.</summary>
    public const int DefaultBins = 15;

    /// <summary>
    /// ECE over equal-width bins, adaptive ECE over equal-mass bins, MCE, Brier score, NLL and
    /// accuracy, plus the equal-width bins for a reliability diagram.
    /// </summary>
    /// <param name="truth">True class per row.</param>
    /// <param name="probabilities">One row per example, one probability per class.</param>
    /// <param name="bins">
    /// Bins for both ECE variants. Equal-width bin b holds confidences in [b/bins, (b+1)/bins);
    /// the last bin also holds 1.0. Equal-mass bins split the rows sorted by confidence into
    /// min(bins, rows) runs whose sizes differ by at most one (the larger ones first).
    /// </param>
    /// <remarks>
    /// NLL is <see cref="ClassificationMetrics.LogLoss(int[], double[][])"/> (p clipped at 1e-15),
    /// so the calibration table and the metrics table never disagree on the same predictions.
    /// </remarks>
    /// <exception cref="ArgumentException">Empty or mismatched arrays, ragged rows, a label outside the row width, or bins &lt; 1.</exception>
    public static CalibrationResult Compute(int[] truth, double[][] probabilities, int bins = DefaultBins)
    {
        ClassificationMetrics.CheckProbabilities(truth, probabilities);
        if (bins < 1)
            throw new ArgumentException($"bins must be at least 1, got {bins}.", nameof(bins));

        int n = truth.Length;
        var confidence = new double[n];
        var correct = new bool[n];
        double brier = 0;
        for (int i = 0; i < n; i++)
        {
            int top = ClassificationMetrics.ArgMax(probabilities[i]);
            confidence[i] = probabilities[i][top];
            correct[i] = top == truth[i];
            for (int k = 0; k < probabilities[i].Length; k++)
            {
                double error = probabilities[i][k] - (k == truth[i] ? 1 : 0);
                brier += error * error;
            }
        }

        ReliabilityBin[] reliability = EqualWidthBins(confidence, correct, bins);
        double ece = 0, mce = 0;
        foreach (ReliabilityBin bin in reliability.Where(b => b.Count > 0))
        {
            double gap = Math.Abs(bin.Accuracy - bin.Confidence);
            ece += (double)bin.Count / n * gap;
            mce = Math.Max(mce, gap);
        }

        return new CalibrationResult(
            Ece: ece,
            AdaptiveEce: AdaptiveEce(confidence, correct, bins),
            Mce: mce,
            Brier: brier / n,
            Nll: ClassificationMetrics.LogLoss(truth, probabilities),
            Accuracy: (double)correct.Count(c => c) / n,
            Bins: reliability);
    }

    /// <summary>
    /// Refuses calibration for anything but classification: a regression model predicts numbers,
    /// not class probabilities, so it has no confidence to calibrate.
    /// </summary>
    /// <param name="taskKind">The task's kind as the user would name it, e.g. "classification" or "regression".</param>
    /// <exception cref="UserError"><paramref name="taskKind"/> is not "classification".</exception>
    public static void RequireClassification(string taskKind)
    {
        ArgumentNullException.ThrowIfNull(taskKind);
        if (!taskKind.Equals("classification", StringComparison.OrdinalIgnoreCase))
            throw new UserError(
                $"calibration applies to classification only, but this task is {taskKind.ToLowerInvariant()}: " +
                "it predicts numbers, not class probabilities, so there is no confidence to calibrate. " +
                "Remove train.calibrate, or predict a categorical target (data.kind: classification).");
    }

    private static ReliabilityBin[] EqualWidthBins(double[] confidence, bool[] correct, int bins)
    {
        var count = new int[bins];
        var sumConfidence = new double[bins];
        var sumCorrect = new int[bins];
        for (int i = 0; i < confidence.Length; i++)
        {
            // Clamped so 1.0 lands in the last bin and a slightly negative rounding error in the first.
            int b = Math.Clamp((int)Math.Floor(confidence[i] * bins), 0, bins - 1);
            count[b]++;
            sumConfidence[b] += confidence[i];
            if (correct[i]) sumCorrect[b]++;
        }
        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            result[b] = new ReliabilityBin(
                Lower: (double)b / bins,
                Upper: (double)(b + 1) / bins,
                Count: count[b],
                Confidence: count[b] == 0 ? double.NaN : sumConfidence[b] / count[b],
                Accuracy: count[b] == 0 ? double.NaN : (double)sumCorrect[b] / count[b]);
        }
        return result;
    }

    // Equal-mass bins (Nixon et al. 2019) weight every row alike, so a model whose confidences
    // crowd into one or two equal-width bins is still measured at a useful resolution.
    private static double AdaptiveEce(double[] confidence, bool[] correct, int bins)
    {
        int n = confidence.Length;
        int[] order = Enumerable.Range(0, n).OrderBy(i => confidence[i]).ToArray();
        int binCount = Math.Min(bins, n);
        int start = 0;
        double ece = 0;
        for (int b = 0; b < binCount; b++)
        {
            int size = n / binCount + (b < n % binCount ? 1 : 0);
            double sumConfidence = 0;
            int sumCorrect = 0;
            for (int j = start; j < start + size; j++)
            {
                sumConfidence += confidence[order[j]];
                if (correct[order[j]]) sumCorrect++;
            }
            ece += Math.Abs((double)sumCorrect / size - sumConfidence / size) * size / n;
            start += size;
        }
        return ece;
    }
}
