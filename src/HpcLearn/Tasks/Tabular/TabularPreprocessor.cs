using HpcLearn.Data;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// Fits a <see cref="TabularSchema"/> on the training split only (so validation statistics never
/// leak into training) and turns tables into tensors: numeric (N, D) float32 and categorical
/// (N, C) int64.
/// </summary>
public static class TabularPreprocessor
{
    /// <summary>Learns the schema from the training rows.</summary>
    public static TabularSchema Fit(Table train, TabularDataOptions options, TabularKind kind, List<string> classes, int maxEmbedding)
    {
        var skip = new HashSet<string>(options.Ignore) { options.TargetColumn };
        var numeric = new List<NumericFeature>();
        var categorical = new List<CategoricalFeature>();
        foreach (var col in train.Columns.Where(c => !skip.Contains(c.Name)))
        {
            if (col.Kind == ColumnKind.Numeric)
            {
                var present = col.Numbers.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
                double median = present.Length == 0 ? 0 : present[present.Length / 2];
                var filled = col.Numbers.Select(v => double.IsNaN(v) ? median : v).ToArray();
                double mean = filled.Average();
                double std = Math.Sqrt(filled.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, filled.Length - 1));
                numeric.Add(new NumericFeature(col.Name, median, mean, std > 1e-12 ? std : 1, present.Length < filled.Length));
            }
            else
            {
                var cats = col.Labels.Where(l => l is not null).Select(l => l!).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
                int size = Math.Min(maxEmbedding, (int)Math.Round(1.6 * Math.Pow(cats.Count + 1, 0.56)));
                categorical.Add(new CategoricalFeature(col.Name, cats, Math.Max(1, size)));
            }
        }
        double tMean = 0, tStd = 1;
        if (kind == TabularKind.Regression)
        {
            var y = train[options.TargetColumn].Numbers;
            tMean = y.Average();
            tStd = Math.Sqrt(y.Sum(v => (v - tMean) * (v - tMean)) / Math.Max(1, y.Length - 1));
            if (tStd < 1e-12) tStd = 1;
        }
        var passthrough = options.Ignore.Append(options.TargetColumn).Distinct().ToList();
        return new TabularSchema(numeric, categorical, new TabularTarget(options.TargetColumn, kind, classes, tMean, tStd), passthrough);
    }

    /// <summary>Numeric features, standardised, with missing indicators: (N, NumericWidth) float32.</summary>
    public static Tensor NumericTensor(TabularSchema schema, Table table)
    {
        int n = table.RowCount, w = schema.NumericWidth;
        var data = new float[n * w];
        int col = 0;
        foreach (var f in schema.Numeric)
        {
            var values = table[f.Name].Numbers;
            for (int r = 0; r < n; r++)
            {
                double v = values[r];
                data[r * w + col] = (float)(((double.IsNaN(v) ? f.Median : v) - f.Mean) / f.Std);
            }
            col++;
            if (!f.MissingIndicator) continue;
            for (int r = 0; r < n; r++) data[r * w + col] = double.IsNaN(values[r]) ? 1f : 0f;
            col++;
        }
        return tensor(data, [n, w]);
    }

    /// <summary>Category indices (0 = missing or unseen): (N, C) int64.</summary>
    public static Tensor CategoricalTensor(TabularSchema schema, Table table)
    {
        int n = table.RowCount, c = schema.Categorical.Count;
        var data = new long[n * c];
        for (int j = 0; j < c; j++)
        {
            var f = schema.Categorical[j];
            var lookup = f.Categories.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => (long)p.i + 1);
            var column = table[f.Name];
            for (int r = 0; r < n; r++)
            {
                string? label = column.Kind == ColumnKind.Categorical ? column.Labels[r] : NullIfEmpty(column.Format(r));
                data[r * c + j] = label is not null && lookup.TryGetValue(label, out long k) ? k : 0;
            }
        }
        return tensor(data, [n, c]);
    }

    /// <summary>Targets: class indices (int64) or standardised values (float32).</summary>
    public static Tensor TargetTensor(TabularSchema schema, Table table)
    {
        var t = schema.Target;
        var column = table[t.Name];
        if (t.Kind == TabularKind.Regression)
            return tensor(column.Numbers.Select(v => (float)((v - t.Mean) / t.Std)).ToArray());
        return tensor(ClassIndices(t, column));
    }

    /// <summary>The class index of each row's label.</summary>
    public static long[] ClassIndices(TabularTarget target, TableColumn column)
    {
        var lookup = target.Classes.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => (long)p.i);
        return Enumerable.Range(0, column.Length).Select(r => lookup[LabelOf(column, r)!]).ToArray();
    }

    /// <summary>A row's label as text (numbers formatted), or null when missing.</summary>
    public static string? LabelOf(TableColumn column, int row)
        => column.Kind == ColumnKind.Categorical ? column.Labels[row] : NullIfEmpty(column.Format(row));

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
