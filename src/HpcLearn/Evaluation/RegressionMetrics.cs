namespace HpcLearn.Evaluation;

/// <summary>
/// Regression metrics over plain arrays. A NaN prediction (a diverged model) gives a NaN metric
/// on purpose, so it shows in the table instead of being hidden.
/// </summary>
public static class RegressionMetrics
{
    /// <summary>Root mean squared error: √(mean of (truth − predicted)²).</summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays.</exception>
    public static double Rmse(double[] truth, double[] predicted)
    {
        Check(truth, predicted);
        return Math.Sqrt(SumSquaredError(truth, predicted) / truth.Length);
    }

    /// <summary>Mean absolute error: mean of |truth − predicted|.</summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays.</exception>
    public static double Mae(double[] truth, double[] predicted)
    {
        Check(truth, predicted);
        double sum = 0;
        for (int i = 0; i < truth.Length; i++)
            sum += Math.Abs(truth[i] - predicted[i]);
        return sum / truth.Length;
    }

    /// <summary>
    /// Coefficient of determination, 1 − SS_res / SS_tot. When the truth is constant (SS_tot = 0)
    /// it follows scikit-learn's <c>r2_score</c>: 1 for a perfect prediction, otherwise 0.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays.</exception>
    public static double R2(double[] truth, double[] predicted)
    {
        Check(truth, predicted);
        double ssRes = SumSquaredError(truth, predicted);
        // Tested directly: the mean of identical values can differ from them by rounding,
        // which would make SS_tot a tiny positive number and R² a huge negative one.
        if (truth.All(t => t == truth[0]))
            return ssRes == 0 ? 1.0 : 0.0;
        double mean = truth.Average();
        double ssTot = 0;
        foreach (double t in truth)
            ssTot += (t - mean) * (t - mean);
        return 1 - ssRes / ssTot;
    }

    /// <summary>RMSE, MAE and R², in that order (RMSE is the primary metric).</summary>
    /// <exception cref="ArgumentException">Empty or mismatched arrays.</exception>
    public static IReadOnlyDictionary<string, double> Compute(double[] truth, double[] predicted) =>
        new OrderedDictionary<string, double>
        {
            [MetricNames.Rmse] = Rmse(truth, predicted),
            [MetricNames.Mae] = Mae(truth, predicted),
            [MetricNames.R2] = R2(truth, predicted),
        };

    private static double SumSquaredError(double[] truth, double[] predicted)
    {
        double sum = 0;
        for (int i = 0; i < truth.Length; i++)
            sum += (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
        return sum;
    }

    private static void Check(double[] truth, double[] predicted)
    {
        MetricGuard.NotEmpty(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(predicted);
        MetricGuard.SameLength(truth.Length, predicted.Length, nameof(predicted));
    }
}
