using System.Text;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>A confusion matrix as text for the log: rows are true classes, columns predicted.</summary>
public static class ConfusionText
{
    /// <summary>The matrix with class names (columns numbered, names abbreviated to fit).</summary>
    public static string Format(ConfusionReport c)
    {
        int k = c.Labels.Length;
        int nameWidth = Math.Min(14, c.Labels.Max(l => l.Length));
        int cell = Math.Max(4, c.Counts.SelectMany(r => r).Max().ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1);
        var sb = new StringBuilder("confusion matrix (validation; rows: true class, columns: predicted):\n");
        sb.Append(' ', nameWidth + 6);
        for (int j = 0; j < k; j++) sb.Append($"{j}".PadLeft(cell));
        sb.AppendLine();
        for (int i = 0; i < k; i++)
        {
            string name = c.Labels[i].Length > nameWidth ? c.Labels[i][..nameWidth] : c.Labels[i];
            sb.Append($"  {i,2} {name.PadRight(nameWidth)} ");
            for (int j = 0; j < k; j++) sb.Append($"{c.Counts[i][j]}".PadLeft(cell));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
