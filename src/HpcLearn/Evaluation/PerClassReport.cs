using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>Precision, recall and support of each class, from a confusion matrix.</summary>
/// <param name="Rows">One row per class, in class order.</param>
public sealed record PerClassReport([property: JsonPropertyName("rows")] PerClassRow[] Rows)
{
    /// <summary>Computes the rows; a class never predicted has precision 0 (and never present, recall 0).</summary>
    public static PerClassReport From(ConfusionReport c)
    {
        int k = c.Labels.Length;
        var rows = new PerClassRow[k];
        for (int i = 0; i < k; i++)
        {
            int tp = c.Counts[i][i];
            int actual = c.Counts[i].Sum();
            int predicted = Enumerable.Range(0, k).Sum(r => c.Counts[r][i]);
            rows[i] = new PerClassRow(c.Labels[i], predicted == 0 ? 0 : (double)tp / predicted, actual == 0 ? 0 : (double)tp / actual, actual);
        }
        return new PerClassReport(rows);
    }

    /// <summary>A small table for logs.</summary>
    public string Format()
    {
        int width = Math.Max(5, Rows.Max(r => r.Label.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"  {"class".PadRight(width)}  precision  recall  support");
        foreach (var r in Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Label.PadRight(width)}  {r.Precision,9:F4}  {r.Recall,6:F4}  {r.Support,7}"));
        return sb.ToString();
    }
}

/// <summary>One class's figures.</summary>
/// <param name="Label">Class name.</param>
/// <param name="Precision">Of the examples predicted as this class, the share that are.</param>
/// <param name="Recall">Of the examples of this class, the share predicted as it.</param>
/// <param name="Support">Examples of this class.</param>
public sealed record PerClassRow(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("support")] int Support);
