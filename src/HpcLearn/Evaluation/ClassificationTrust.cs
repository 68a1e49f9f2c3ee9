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
            temperature = TemperatureScaling.Fit(logits, truth);
            calibration = new CalibrationReport(temperature.Value,
                Evaluation.Calibration.Compute(truth, probabilities), Evaluation.Calibration.Compute(truth, CrossFitted(logits, truth)),
                "validation split; T is fitted on all of it, and 'after' uses T fitted on the other half of the split for each row (held out)");
            extras["ece"] = calibration.Before.Ece;
            extras["ece_calibrated"] = calibration.After.Ece;
            extras["temperature"] = temperature.Value;
            // What predict and evaluate report on these rows: the model's probabilities at T.
            extras["log_loss_calibrated"] = ClassificationMetrics.LogLoss(truth, TemperatureScaling.Apply(logits, temperature.Value));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"calibration: ECE {calibration.Before.Ece:F4} -> {calibration.After.Ece:F4} after temperature scaling (T = {temperature:F3}; held-out halves of the validation split)"));
        }
        return new ClassificationTrust(confusion, perClass, calibration, temperature, probabilities, extras, text.ToString());
    }

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
