using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>
/// The task's metrics per value of a group column, and the gaps between groups, so a model that
/// serves one group worse than another says so. Rows without a group value form their own group,
/// <see cref="MissingGroup"/>. Groups are listed largest first (ties by name, ordinal).
/// </summary>
/// <remarks>
/// Gaps (<see cref="GroupReport.LargestGap"/>, demographic parity, equalised odds) are taken over
/// the groups that are not small, because a group of three rows has an accuracy of 0, 1/3, 2/3
/// or 1 by chance alone; when fewer than two groups are large enough, over all groups. A gap
/// over fewer than two values is 0.
/// </remarks>
public static class GroupMetrics
{
    /// <summary>The name of the group of rows whose group value is missing.</summary>
    public const string MissingGroup = "missing";

    /// <summary>Groups with fewer rows than this are flagged small by default.</summary>
    public const int DefaultSmallGroupThreshold = 30;

    /// <summary>
    /// Classification: accuracy, macro-F1 and log-loss per group (as <see cref="ClassificationMetrics.Compute"/>).
    /// For two classes also each group's positive-prediction rate, TPR and FPR, the demographic-parity
    /// difference (max − min positive rate) and the equalised-odds difference (the larger of the TPR
    /// gap and the FPR gap). The positive class is the minority class of <paramref name="truth"/>
    /// (the one a fairness question is usually about: churn, default, disease), or the second class
    /// on a tie. A group's TPR is null when it has no positive rows, its FPR when it has no negative
    /// rows; such groups are left out of that gap. All binary measures are null for more than two classes.
    /// </summary>
    /// <param name="column">The group column's name.</param>
    /// <param name="groups">Group value per row; null is missing.</param>
    /// <param name="truth">True class per row.</param>
    /// <param name="probabilities">One row per example, one probability per class.</param>
    /// <param name="classNames">Name per class index.</param>
    /// <param name="smallGroupThreshold">Groups with fewer rows are flagged small.</param>
    /// <exception cref="ArgumentException">Mismatched or empty arrays, a label outside the row width, the wrong number of class names, or a negative threshold.</exception>
    public static GroupReport Compute(
        string column, IReadOnlyList<string?> groups, int[] truth, double[][] probabilities,
        string[] classNames, int smallGroupThreshold = DefaultSmallGroupThreshold)
    {
        int classCount = ClassificationMetrics.CheckProbabilities(truth, probabilities);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Length != classCount)
            throw new ArgumentException(
                $"classNames has {classNames.Length} names but the probabilities have {classCount} classes.", nameof(classNames));
        CheckGroups(column, groups, truth.Length, smallGroupThreshold);

        int[] predicted = probabilities.Select(ClassificationMetrics.ArgMax).ToArray();
        int? positive = classCount == 2 ? PositiveClass(truth) : null;
        GroupRow[] rows = Partition(groups).Select(g =>
        {
            var metrics = ClassificationMetrics.Compute(
                g.Rows.Select(i => truth[i]).ToArray(), g.Rows.Select(i => probabilities[i]).ToArray());
            var (rate, tpr, fpr) = positive is int p ? Rates(g.Rows, truth, predicted, p) : (null, null, null);
            return new GroupRow(g.Name, g.Rows.Length, g.Rows.Length < smallGroupThreshold,
                new Dictionary<string, double>(metrics), rate, tpr, fpr);
        }).ToArray();

        GroupRow[] compared = Compared(rows);
        double? parity = null, odds = null;
        if (positive is not null)
        {
            parity = Gap(compared.Select(r => r.PositiveRate));
            odds = Math.Max(Gap(compared.Select(r => r.TruePositiveRate)), Gap(compared.Select(r => r.FalsePositiveRate)));
        }
        return new GroupReport(column, rows, LargestGap(compared), parity, odds,
            positive is int q ? classNames[q] : null, smallGroupThreshold);
    }

    /// <summary>Regression: RMSE, MAE and R² per group (as <see cref="RegressionMetrics.Compute"/>); the binary measures are null.</summary>
    /// <param name="column">The group column's name.</param>
    /// <param name="groups">Group value per row; null is missing.</param>
    /// <param name="truth">True value per row.</param>
    /// <param name="predicted">Predicted value per row.</param>
    /// <param name="smallGroupThreshold">Groups with fewer rows are flagged small.</param>
    /// <exception cref="ArgumentException">Mismatched or empty arrays, or a negative threshold.</exception>
    public static GroupReport Compute(
        string column, IReadOnlyList<string?> groups, double[] truth, double[] predicted,
        int smallGroupThreshold = DefaultSmallGroupThreshold)
    {
        MetricGuard.NotEmpty(truth, nameof(truth));
        ArgumentNullException.ThrowIfNull(predicted);
        MetricGuard.SameLength(truth.Length, predicted.Length, nameof(predicted));
        CheckGroups(column, groups, truth.Length, smallGroupThreshold);

        GroupRow[] rows = Partition(groups).Select(g => new GroupRow(
            g.Name, g.Rows.Length, g.Rows.Length < smallGroupThreshold,
            new Dictionary<string, double>(RegressionMetrics.Compute(
                g.Rows.Select(i => truth[i]).ToArray(), g.Rows.Select(i => predicted[i]).ToArray())),
            null, null, null)).ToArray();
        return new GroupReport(column, rows, LargestGap(Compared(rows)), null, null, null, smallGroupThreshold);
    }

    private static List<(string Name, int[] Rows)> Partition(IReadOnlyList<string?> groups) =>
        Enumerable.Range(0, groups.Count)
            .GroupBy(i => groups[i] ?? MissingGroup, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Rows: g.ToArray()))
            .OrderByDescending(g => g.Rows.Length)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();

    private static int PositiveClass(int[] truth)
    {
        int ones = truth.Count(t => t == 1);
        return truth.Length - ones < ones ? 0 : 1;
    }

    private static (double?, double?, double?) Rates(int[] rows, int[] truth, int[] predicted, int positive)
    {
        int predictedPositive = 0, positives = 0, truePositives = 0, falsePositives = 0;
        foreach (int i in rows)
        {
            bool actual = truth[i] == positive, guess = predicted[i] == positive;
            if (guess) predictedPositive++;
            if (actual) positives++;
            if (actual && guess) truePositives++;
            if (!actual && guess) falsePositives++;
        }
        int negatives = rows.Length - positives;
        return ((double)predictedPositive / rows.Length,
            positives == 0 ? null : (double)truePositives / positives,
            negatives == 0 ? null : (double)falsePositives / negatives);
    }

    private static GroupRow[] Compared(GroupRow[] rows)
    {
        GroupRow[] large = rows.Where(r => !r.Small).ToArray();
        return large.Length >= 2 ? large : rows;
    }

    private static Dictionary<string, double> LargestGap(GroupRow[] rows) =>
        rows[0].Metrics.Keys.ToDictionary(m => m, m => Gap(rows.Select(r => (double?)r.Metrics[m])));

    private static double Gap(IEnumerable<double?> values)
    {
        double[] known = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        return known.Length < 2 ? 0 : known.Max() - known.Min();
    }

    private static void CheckGroups(string column, IReadOnlyList<string?> groups, int rows, int smallGroupThreshold)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(groups);
        MetricGuard.SameLength(rows, groups.Count, nameof(groups));
        if (smallGroupThreshold < 0)
            throw new ArgumentException($"smallGroupThreshold must be at least 0, got {smallGroupThreshold}.", nameof(smallGroupThreshold));
    }
}
