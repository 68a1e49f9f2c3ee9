namespace HpcLearn.Evaluation;

/// <summary>
/// Classification metrics over plain arrays. Class labels are indices in [0, classCount);
/// probabilities are one row per example and one column per class.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>The bounds probabilities are clipped to before taking logs, as scikit-learn does.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>Fraction of rows where <paramref name="predicted"/> equals <paramref name="truth"/>.</summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays.</exception>
    public static double Accuracy(int[] truth, int[] predicted)
    {
        MetricGuard.NotEmpty(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(predicted);
        MetricGuard.SameLength(truth.Length, predicted.Length, nameof(predicted));
        int correct = 0;
        for (int i = 0; i < truth.Length; i++)
            if (truth[i] == predicted[i]) correct++;
        return (double)correct / truth.Length;
    }

    /// <summary>
    /// Unweighted mean of per-class F1 over the classes that occur in <paramref name="truth"/> or
    /// <paramref name="predicted"/>; classes absent from both are skipped rather than counted as 0.
    /// Per class, F1 = 2·TP / (2·TP + FP + FN), so a class that is never predicted has precision 0
    /// and F1 0. This equals scikit-learn's <c>f1_score(average='macro', zero_division=0)</c> with
    /// its default labels (the union of truth and predictions).
    /// </summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays, or a label outside [0, classCount).</exception>
    public static double MacroF1(int[] truth, int[] predicted, int classCount)
    {
        int[,] confusion = ConfusionMatrix(truth, predicted, classCount);
        double sum = 0;
        int present = 0;
        for (int k = 0; k < classCount; k++)
        {
            int tp = confusion[k, k], truthCount = 0, predictedCount = 0;
            for (int j = 0; j < classCount; j++)
            {
                truthCount += confusion[k, j];
                predictedCount += confusion[j, k];
            }
            if (truthCount == 0 && predictedCount == 0) continue;
            int fn = truthCount - tp, fp = predictedCount - tp;
            sum += 2.0 * tp / (2.0 * tp + fp + fn);
            present++;
        }
        return sum / present;
    }

    /// <summary>
    /// Counts of (true class, predicted class): rows are the truth and columns the prediction,
    /// the orientation of scikit-learn's <c>confusion_matrix</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays, or a label outside [0, classCount).</exception>
    public static int[,] ConfusionMatrix(int[] truth, int[] predicted, int classCount)
    {
        MetricGuard.NotEmpty(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(predicted);
        MetricGuard.SameLength(truth.Length, predicted.Length, nameof(predicted));
        MetricGuard.ClassCount(classCount);
        MetricGuard.Labels(truth, classCount, nameof(truth));
        MetricGuard.Labels(predicted, classCount, nameof(predicted));
        var confusion = new int[classCount, classCount];
        for (int i = 0; i < truth.Length; i++)
            confusion[truth[i], predicted[i]]++;
        return confusion;
    }

    /// <summary>
    /// Mean of −ln p(true class). Each probability is clipped to [1e-15, 1 − 1e-15] and each row
    /// renormalised to sum to 1, as scikit-learn's <c>log_loss</c> does, so a confident wrong
    /// answer costs about 34.5 nats instead of infinity.
    /// </summary>
    /// <param name="truth">True class per row; the class count is the width of a probability row.</param>
    /// <param name="probabilities">One row per example, one column per class.</param>
    /// <exception cref="ArgumentException">Empty or mismatched arrays, ragged rows, or a label outside the row width.</exception>
    public static double LogLoss(int[] truth, double[][] probabilities)
    {
        int classCount = CheckProbabilities(truth, probabilities);
        return LogLoss(truth, classCount, (i, k) => probabilities[i][k]);
    }

    /// <inheritdoc cref="LogLoss(int[], double[][])"/>
    public static double LogLoss(int[] truth, float[,] probabilities)
    {
        MetricGuard.NotEmpty(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(probabilities);
        MetricGuard.SameLength(truth.Length, probabilities.GetLength(0), nameof(probabilities));
        int classCount = probabilities.GetLength(1);
        MetricGuard.ClassCount(classCount);
        MetricGuard.Labels(truth, classCount, nameof(truth));
        return LogLoss(truth, classCount, (i, k) => probabilities[i, k]);
    }

    /// <summary>
    /// Accuracy, macro-F1 and log-loss, in that order (accuracy is the primary metric). The
    /// predicted class is the argmax of each row, the lowest index on a tie.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays, ragged rows, or a label outside the row width.</exception>
    public static IReadOnlyDictionary<string, double> Compute(int[] truth, double[][] probabilities)
    {
        int classCount = CheckProbabilities(truth, probabilities);
        int[] predicted = probabilities.Select(ArgMax).ToArray();
        return new OrderedDictionary<string, double>
        {
            [MetricNames.Accuracy] = Accuracy(truth, predicted),
            [MetricNames.MacroF1] = MacroF1(truth, predicted, classCount),
            [MetricNames.LogLoss] = LogLoss(truth, probabilities),
        };
    }

    private static double LogLoss(int[] truth, int classCount, Func<int, int, double> probability)
    {
        double total = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            double rowSum = 0;
            for (int k = 0; k < classCount; k++)
                rowSum += Clip(probability(i, k));
            total -= Math.Log(Clip(probability(i, truth[i])) / rowSum);
        }
        return total / truth.Length;
    }

    private static double Clip(double p) => Math.Clamp(p, Epsilon, 1 - Epsilon);

    // Shared with Calibration and GroupMetrics so every report breaks ties the same way.
    internal static int ArgMax(double[] row)
    {
        int best = 0;
        for (int k = 1; k < row.Length; k++)
            if (row[k] > row[best]) best = k;
        return best;
    }

    internal static int CheckProbabilities(int[] truth, double[][] probabilities)
    {
        MetricGuard.NotEmpty(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(probabilities);
        MetricGuard.SameLength(truth.Length, probabilities.Length, nameof(probabilities));
        int classCount = probabilities[0]?.Length ?? 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] is null || probabilities[i].Length != classCount)
                throw new ArgumentException(
                    $"probabilities[{i}] has {probabilities[i]?.Length ?? 0} columns but probabilities[0] has {classCount}; every row needs one probability per class.",
                    nameof(probabilities));
        }
        MetricGuard.ClassCount(classCount);
        MetricGuard.Labels(truth, classCount, nameof(truth));
        return classCount;
    }
}
