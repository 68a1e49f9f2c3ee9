using System.Globalization;
using System.Text;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// What a tabular run reports besides its metrics: calibration with temperature scaling,
/// the confusion matrix, per-group metrics, and the data card (from <see cref="TabularData"/>).
/// </summary>
/// <param name="Report">The content of evaluation.json.</param>
/// <param name="Temperature">The fitted temperature stored in the model (classification), else null.</param>
/// <param name="SummaryExtras">Figures added to summary.json (ece, ece_calibrated, temperature, log_loss_calibrated).</param>
/// <param name="Text">Lines for the training log.</param>
public sealed record TabularTrust(EvaluationReport Report, double? Temperature, Dictionary<string, double> SummaryExtras, string Text)
{
    /// <summary>Evaluates the final model's validation outputs (logits or standardised values).</summary>
    public static TabularTrust Evaluate(TabularData data, Tensor outputs, TabularConfig config)
    {
        var t = data.Schema.Target;
        var text = new StringBuilder();
        bool classification = t.Kind == TabularKind.Classification;
        if (config.Train.Calibrate == true && !classification) Calibration.RequireClassification("regression");
        bool calibrate = classification && config.Train.Calibrate != false;

        CalibrationReport? calibration = null;
        ConfusionReport? confusion = null;
        GroupReport? groups = null;
        double? temperature = null;
        var extras = new Dictionary<string, double>();
        var groupValues = config.Data.Group is { } g
            ? Enumerable.Range(0, data.Valid.RowCount).Select(r => TabularPreprocessor.LabelOf(data.Valid[g], r)).ToList()
            : null;

        if (classification)
        {
            var truth = TabularPreprocessor.ClassIndices(t, data.Valid[t.Name]).Select(v => (int)v).ToArray();
            var logits = TabularMetrics.Rows(outputs);
            var probabilities = TemperatureScaling.Apply(logits, 1.0);
            var predicted = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
            var counts = ClassificationMetrics.ConfusionMatrix(truth, predicted, t.Classes.Count);
            confusion = new ConfusionReport(t.Classes.ToArray(),
                Enumerable.Range(0, t.Classes.Count).Select(i => Enumerable.Range(0, t.Classes.Count).Select(j => counts[i, j]).ToArray()).ToArray());
            if (calibrate)
            {
                temperature = TemperatureScaling.Fit(logits, truth);
                calibration = new CalibrationReport(temperature.Value,
                    Calibration.Compute(truth, probabilities), Calibration.Compute(truth, CrossFitted(logits, truth)),
                    "validation split; T is fitted on all of it, and 'after' uses T fitted on the other half of the split for each row (held out)");
                extras["ece"] = calibration.Before.Ece;
                extras["ece_calibrated"] = calibration.After.Ece;
                extras["temperature"] = temperature.Value;
                // What predict and evaluate report on these rows: the model's probabilities at T.
                extras["log_loss_calibrated"] = ClassificationMetrics.LogLoss(truth, TemperatureScaling.Apply(logits, temperature.Value));
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"calibration: ECE {calibration.Before.Ece:F4} -> {calibration.After.Ece:F4} after temperature scaling (T = {temperature:F3}; held-out halves of the validation split)"));
            }
            if (groupValues is not null)
                groups = GroupMetrics.Compute(config.Data.Group!, groupValues, truth, probabilities, t.Classes.ToArray());
        }
        else if (groupValues is not null)
        {
            var truth = data.Valid[t.Name].Numbers;
            groups = GroupMetrics.Compute(config.Data.Group!, groupValues, truth, TabularMetrics.Unscale(t, outputs));
        }
        if (groups is not null) text.Append(GroupText(groups));
        var report = new EvaluationReport { DataCard = data.Card, Confusion = confusion, Calibration = calibration, Groups = groups };
        return new TabularTrust(report, temperature, extras, text.ToString());
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
            for (int k = 0; k < useRows.Length; k++) result[useRows[k]] = scaled[k];
        }
        return result;
    }

    private static string GroupText(GroupReport g)
    {
        var sb = new StringBuilder($"per-group metrics ({g.Column}):\n");
        foreach (var row in g.Rows)
        {
            string metrics = string.Join("  ", row.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}")));
            sb.AppendLine($"  {row.Name,-14} n={row.Size,-6} {metrics}{(row.Small ? "  (small group: treat with care)" : "")}");
        }
        foreach (var (metric, gap) in g.LargestGap)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  largest gap in {metric}: {gap:F4}"));
        if (g.DemographicParityDifference is { } dp)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  demographic parity difference: {dp:F4}; equalised odds difference: {g.EqualizedOddsDifference:F4} (positive class '{g.PositiveClass}')"));
        return sb.ToString();
    }
}
