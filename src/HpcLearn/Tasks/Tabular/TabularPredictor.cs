using System.Globalization;
using System.Text;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// A trained tabular model loaded from its model folder: checks inputs against the stored
/// schema and predicts classes with probabilities, or values.
/// </summary>
public sealed class TabularPredictor : IDisposable
{
    private readonly TabularModel _model;
    private readonly double[] _trainPrior;

    private TabularPredictor(TabularSchema schema, TabularModel model, double[] trainPrior, double temperature, ModelManifest manifest)
    {
        Schema = schema; _model = model; _trainPrior = trainPrior; Temperature = temperature; Manifest = manifest;
    }

    /// <summary>Logits are divided by this before softmax (fitted on the validation split; 1 = none).</summary>
    public double Temperature { get; }

    /// <summary>Input schema, preprocessing statistics and target.</summary>
    public TabularSchema Schema { get; }

    /// <summary>The model's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>Loads a model folder written by the tabular task.</summary>
    public static TabularPredictor Load(string modelDir)
    {
        var manifest = ModelArtifact.LoadManifest(modelDir, TabularTask.Name);
        var (schema, options, prior, temperature) = TabularArtifact.Read(manifest, Path.Combine(modelDir, ModelArtifact.ManifestFile));
        var model = new TabularModel(schema, options);
        ModelArtifact.LoadWeights(modelDir, model);
        model.eval();
        return new TabularPredictor(schema, model, prior, temperature, manifest);
    }

    /// <summary>Reads an input file and checks it has exactly the model's columns (the target and ignored columns may be present).</summary>
    public Table LoadInput(string path, bool requireTarget = false)
    {
        var table = TableSource.Load(path);
        CheckColumns(table, requireTarget);
        var wrong = Schema.Numeric.Where(f => table[f.Name].Kind != ColumnKind.Numeric).Select(f => f.Name).ToList();
        if (wrong.Count == 0) return table;
        // Reload with the types forced: the loader then names the first bad line, and a column that
        // is all missing (or, in JSON, numbers written as strings) comes back numeric, as the model needs.
        return TableSource.Load(path, new CsvOptions { NumericColumns = wrong, NumericReason = "is a numeric input of the model" });
    }

    /// <summary>Checks the table's columns against the schema; a <see cref="UserError"/> on any mismatch.</summary>
    public void CheckColumns(Table table, bool requireTarget = false)
    {
        var names = table.Columns.Select(c => c.Name).ToHashSet();
        var missing = Schema.FeatureNames.Where(n => !names.Contains(n)).ToList();
        if (requireTarget && !names.Contains(Schema.Target.Name)) missing.Add(Schema.Target.Name);
        if (missing.Count > 0)
            throw new UserError($"{table.Source}: missing column{(missing.Count > 1 ? "s" : "")} {Quote(missing)} that the model needs; it expects: {Quote(Schema.FeatureNames)}");
        var known = Schema.FeatureNames.Concat(Schema.Passthrough).ToHashSet();
        var extra = table.Columns.Select(c => c.Name).Where(n => !known.Contains(n)).ToList();
        if (extra.Count > 0)
            throw new UserError($"{table.Source}: unexpected column{(extra.Count > 1 ? "s" : "")} {Quote(extra)}; the model expects: {Quote(Schema.FeatureNames)} (remove the others)");
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    /// <summary>Raw model outputs for every row: (N, K) logits or (N,) standardised values.</summary>
    public Tensor Outputs(Table table)
    {
        using var numeric = TabularPreprocessor.NumericTensor(Schema, table);
        using var codes = TabularPreprocessor.CategoricalTensor(Schema, table);
        using var noGrad = torch.no_grad();
        return _model.forward([numeric, codes]);
    }

    /// <summary>Class probabilities per row (classification), temperature-scaled as fitted in training.</summary>
    public double[][] PredictProbabilities(Table table)
    {
        using var outputs = Outputs(table);
        using Scalar temperature = Temperature; // explicit: see docs/training.md on temporary Scalars
        using var scaled = outputs.div(temperature);
        return ClassifierOutputs.Probabilities(scaled);
    }

    /// <summary>Predicted values per row, in the target's units (regression).</summary>
    public double[] PredictValues(Table table)
    {
        using var outputs = Outputs(table);
        return TabularMetrics.Unscale(Schema.Target, outputs);
    }

    /// <summary>Writes a CSV: <c>prediction</c>, then <c>p_&lt;class&gt;</c> per class for classification.</summary>
    public void WriteCsv(Table table, TextWriter output)
    {
        var t = Schema.Target;
        var sb = new StringBuilder();
        if (t.Kind == TabularKind.Regression)
        {
            sb.Append("prediction\n");
            foreach (var v in PredictValues(table)) sb.Append(v.ToString("G6", CultureInfo.InvariantCulture)).Append('\n');
        }
        else
        {
            sb.Append("prediction,").Append(string.Join(",", t.Classes.Select(c => CsvField("p_" + c)))).Append('\n');
            foreach (var p in PredictProbabilities(table))
            {
                int best = Array.IndexOf(p, p.Max());
                sb.Append(CsvField(t.Classes[best]));
                foreach (var v in p) sb.Append(',').Append(v.ToString("F6", CultureInfo.InvariantCulture));
                sb.Append('\n');
            }
        }
        output.Write(sb.ToString());
    }

    private static string CsvField(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    /// <summary>The model's metrics on labelled rows, and the training-prior baseline's.</summary>
    public (IReadOnlyDictionary<string, double> Metrics, BaselineResult Baseline) Evaluate(Table table)
    {
        var t = Schema.Target;
        var column = table[t.Name];
        if (t.Kind == TabularKind.Regression)
        {
            var truth = column.Numbers;
            return (RegressionMetrics.Compute(truth, PredictValues(table)), Baseline.Mean([_trainPrior[0]], truth));
        }
        var unknown = Enumerable.Range(0, column.Length).Select(r => TabularPreprocessor.LabelOf(column, r))
            .FirstOrDefault(l => l is null || !t.Classes.Contains(l));
        if (unknown is not null || column.MissingCount > 0)
            throw new UserError($"{table.Source}: column '{t.Name}' has label '{unknown ?? "(missing)"}', which the model does not know; its classes are: {Quote(t.Classes)}");
        var labels = TabularPreprocessor.ClassIndices(t, column).Select(v => (int)v).ToArray();
        var trainLabels = _trainPrior.SelectMany((count, k) => Enumerable.Repeat(k, (int)count)).ToArray();
        return (ClassificationMetrics.Compute(labels, PredictProbabilities(table)),
                Baseline.MajorityClass(trainLabels, labels, t.Classes.Count, t.Classes.ToArray()));
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
