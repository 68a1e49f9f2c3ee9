using System.Globalization;
using System.Text;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>
/// What every classifier reports beside its metrics, from validation logits: the confusion
/// matrix, per-class precision and recall, and calibration before and after temperature scaling
/// (the temperature fitted on one half of the rows is judged on the other half).
/// </summary>
/// <param name="Confusion">Counts of (true, predicted) class.</param>
/// <param name="PerClass">Precision, recall and support per class.</param>
/// <param name="Calibration">ECE and reliability bins before and after scaling; null when not asked for.</param>
/// <param name="Temperature">The temperature fitted on all rows (stored in the model), or null.</param>
/// <param name="Probabilities">Softmax probabilities at temperature 1, one row per example.</param>
/// <param name="SummaryExtras">Figures for summary.json (ece, ece_calibrated, temperature, log_loss_calibrated).</param>
/// <param name="Text">Lines for the training log.</param>
public sealed record ClassificationTrust(
    ConfusionReport Confusion, PerClassReport PerClass, CalibrationReport? Calibration, double? Temperature,
    double[][] Probabilities, Dictionary<string, double> SummaryExtras, string Text)
{
    /// <summary>
    /// Fewer validation rows than this and temperature scaling is skipped (T = 1 kept): each half
    /// of the cross-fit then has under 25 rows, about two per non-empty bin, and a T fitted on a
    /// split with no or one mistake runs to its bound.
    /// </summary>
    public const int MinCalibrationRows = 50;

    /// <summary>
    /// A fitted T below this is not applied (T = 1 kept): it multiplies the logits by more than 20,
    /// which only a validation split with (almost) no mistakes asks for (its NLL falls for ever as
    /// T → 0), and it makes predict say p = 1.000000 for any input, an unfamiliar one included.
    /// </summary>
    public const double MinTrustedTemperature = 0.05;

    /// <summary>Evaluates validation <paramref name="logits"/> against <paramref name="truth"/>.</summary>
    public static ClassificationTrust Evaluate(int[] truth, double[][] logits, IReadOnlyList<string> classes, bool calibrate)
    {
        int k = classes.Count;
        var probabilities = TemperatureScaling.Apply(logits, 1.0);
        var predicted = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        var counts = ClassificationMetrics.ConfusionMatrix(truth, predicted, k);
        var confusion = new ConfusionReport(classes.ToArray(),
            Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => counts[i, j]).ToArray()).ToArray());
        var perClass = PerClassReport.From(confusion);
        var text = new StringBuilder();
        var extras = new Dictionary<string, double>();
        CalibrationReport? calibration = null;
        double? temperature = null;
        if (calibrate)
        {
            double fitted = TemperatureScaling.Fit(logits, truth);
            string? skip = logits.Length < MinCalibrationRows
                ? $"only {logits.Length} validation rows (at least {MinCalibrationRows} are needed to fit T)"
                : fitted < MinTrustedTemperature
                    ? string.Create(CultureInfo.InvariantCulture, $"the fitted T = {fitted:0.###} is below {MinTrustedTemperature} (the validation split has almost no mistakes to fit it on)")
                    : null;
            temperature = skip is null ? fitted : 1.0;
            var before = Evaluation.Calibration.Compute(truth, probabilities);
            calibration = new CalibrationReport(temperature.Value, before,
                skip is null ? Evaluation.Calibration.Compute(truth, CrossFitted(logits, truth)) : before,
                skip is null
                    ? "validation split; T is fitted on all of it, and 'after' uses T fitted on the other half of the split for each row (held out)"
                    : $"nothing: scaling was skipped because {skip}; T = 1 is kept");
            if (skip is not null)
            {
                extras["temperature_fitted"] = fitted;
                text.AppendLine($"warning: temperature scaling skipped, T = 1 kept: {skip}; the ECE below is measured on {logits.Length} rows, so treat it with care");
            }
            extras["ece"] = calibration.Before.Ece;
            extras["ece_calibrated"] = calibration.After.Ece;
            extras["temperature"] = temperature.Value;
            // What predict and evaluate report on these rows: the model's probabilities at T.
            extras["log_loss_calibrated"] = ClassificationMetrics.LogLoss(truth, TemperatureScaling.Apply(logits, temperature.Value));
            text.AppendLine(skip is null
                ? string.Create(CultureInfo.InvariantCulture,
                    $"calibration: ECE {calibration.Before.Ece:F4} -> {calibration.After.Ece:F4} after temperature scaling (T = {temperature:F3}; held-out halves of the validation split)")
                : string.Create(CultureInfo.InvariantCulture, $"calibration: ECE {calibration.Before.Ece:F4} (no scaling)"));
            text.AppendLine("  reliability bins (confidence: rows, accuracy): " + BinText(calibration.Before.Bins));
        }
        return new ClassificationTrust(confusion, perClass, calibration, temperature, probabilities, extras, text.ToString());
    }

    /// <summary>The non-empty bins as <c>0.93-1.00: 20 rows, 0.950</c>, so a reader sees how few rows an ECE rests on.</summary>
    public static string BinText(IEnumerable<ReliabilityBin> bins) => string.Join("; ", bins.Where(b => b.Count > 0).Select(b =>
        string.Create(CultureInfo.InvariantCulture, $"{b.Lower:0.00}-{b.Upper:0.00}: {b.Count} row{(b.Count == 1 ? "" : "s")}, {b.Accuracy:0.000}")));

    /// <summary>Each row's probabilities at the temperature fitted on the other half (rows alternate halves).</summary>
    private static double[][] CrossFitted(double[][] logits, int[] truth)
    {
        var result = new double[logits.Length][];
        for (int half = 0; half < 2; half++)
        {
            var fitRows = Enumerable.Range(0, logits.Length).Where(i => i % 2 != half).ToArray();
            var useRows = Enumerable.Range(0, logits.Length).Where(i => i % 2 == half).ToArray();
            if (useRows.Length == 0) continue;
            double temp = fitRows.Length == 0 ? 1 : TemperatureScaling.Fit(fitRows.Select(i => logits[i]).ToArray(), fitRows.Select(i => truth[i]).ToArray());
            var scaled = TemperatureScaling.Apply(useRows.Select(i => logits[i]).ToArray(), temp);
            for (int r = 0; r < useRows.Length; r++) result[useRows[r]] = scaled[r];
        }
        return result;
    }
}
