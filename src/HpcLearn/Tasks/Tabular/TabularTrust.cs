using System.Globalization;
using System.Text;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Tasks.Shared;
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
    public static TabularTrust Evaluate(TabularData data, Tensor outputs, TabularConfig config) => Evaluate(data, data.Valid, outputs, config);

    /// <summary>
    /// Evaluates the final model's outputs on <paramref name="rows"/>: the validation rows, or the
    /// test rows when there are none (then no temperature is fitted: that would fit it on the test file).
    /// </summary>
    public static TabularTrust Evaluate(TabularData data, Table rows, Tensor outputs, TabularConfig config)
    {
        var t = data.Schema.Target;
        var text = new StringBuilder();
        bool classification = t.Kind == TabularKind.Classification;
        if (config.Train.Calibrate == true && !classification) Calibration.RequireClassification("regression");
        bool onTest = !ReferenceEquals(rows, data.Valid);
        bool calibrate = classification && config.Train.Calibrate != false && !onTest;
        if (onTest && classification && config.Train.Calibrate != false)
            text.AppendLine("calibration: not fitted (data.valid_fraction is 0, and the test file must not tune the model); predict uses T = 1");

        CalibrationReport? calibration = null;
        ConfusionReport? confusion = null;
        PerClassReport? perClass = null;
        GroupReport? groups = null;
        double? temperature = null;
        var extras = new Dictionary<string, double>();
        var groupValues = config.Data.Group is { } g
            ? Enumerable.Range(0, rows.RowCount).Select(r => TabularPreprocessor.LabelOf(rows[g], r)).ToList()
            : null;

        if (classification)
        {
            var truth = TabularPreprocessor.ClassIndices(t, rows[t.Name]).Select(v => (int)v).ToArray();
            var trust = ClassificationTrust.Evaluate(truth, ClassifierOutputs.Rows(outputs), t.Classes, calibrate);
            var probabilities = trust.Probabilities;
            confusion = trust.Confusion;
            perClass = trust.PerClass;
            calibration = trust.Calibration;
            temperature = trust.Temperature;
            foreach (var (key, value) in trust.SummaryExtras) extras[key] = value;
            text.Append(trust.Text);
            if (groupValues is not null)
                groups = GroupMetrics.Compute(config.Data.Group!, groupValues, truth, probabilities, t.Classes.ToArray());
        }
        else if (groupValues is not null)
        {
            var truth = rows[t.Name].Numbers;
            groups = GroupMetrics.Compute(config.Data.Group!, groupValues, truth, TabularMetrics.Unscale(t, outputs));
        }
        if (groups is not null) text.Append(GroupText(groups));
        var report = new EvaluationReport { DataCard = data.Card, Confusion = confusion, PerClass = perClass, Calibration = calibration, Groups = groups };
        return new TabularTrust(report, temperature, extras, text.ToString());
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
