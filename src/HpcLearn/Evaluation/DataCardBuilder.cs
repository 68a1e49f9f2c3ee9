using System.Globalization;
using System.Text;
using HpcLearn.Data;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Evaluation;

/// <summary>
/// Describes the data as loaded and split: each column, the class balance, rows shared between
/// the splits, and warnings worth reading before trusting any metric.
/// </summary>
public static class DataCardBuilder
{
    /// <summary>Builds the card.</summary>
    /// <param name="all">Every row loaded, before rows without a target are dropped.</param>
    /// <param name="train">The training split (the same columns as <paramref name="all"/>).</param>
    /// <param name="valid">The validation split.</param>
    /// <param name="source">The file or built-in data set, as the user named it.</param>
    /// <param name="target">The target column.</param>
    /// <param name="group">The group column, if any.</param>
    /// <param name="ignored">Columns left out of the features.</param>
    /// <param name="classification">Whether the target is a class (adds the class balance).</param>
    /// <remarks>
    /// A validation row counts as a duplicate when its values in every column the model reads
    /// (all but the target and the ignored columns) equal some training row's, missing equal to
    /// missing. Ignored columns are left out of the comparison because an id column would
    /// otherwise hide every copy; the target is left out because a copy with another label leaks
    /// just as much. See <see cref="DataCardWarnings"/> for when each warning fires.
    /// </remarks>
    /// <exception cref="UserError">The target or group column is not in <paramref name="all"/>.</exception>
    public static DataCard Build(
        Table all, Table train, Table valid, string source, string target,
        string? group, IReadOnlyCollection<string> ignored, bool classification)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(ignored);
        TableColumn targetColumn = all[target];
        if (group is not null) _ = all[group];

        ColumnCard[] columns = all.Columns.Select(c => Describe(c, Role(c.Name, target, group, ignored))).ToArray();
        Dictionary<string, int>? balance = classification ? ClassBalance(targetColumn) : null;
        string[] read = all.Columns.Select(c => c.Name).Where(n => n != target && !ignored.Contains(n)).ToArray();
        int duplicates = Duplicates(train, valid, read);
        return new DataCard(source, all.RowCount, train.RowCount, valid.RowCount, columns, balance, duplicates,
            DataCardWarnings.Find(all.RowCount, columns, balance, duplicates));
    }

    /// <summary>
    /// A few lines for the training log: sizes, class balance, columns with missing values, then
    /// one "warning:" line per warning.
    /// </summary>
    public static string ToText(DataCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var text = new StringBuilder();
        int numeric = card.Columns.Count(c => c.Kind == "numeric");
        text.Append(CultureInfo.InvariantCulture,
            $"data: {card.Source}: {card.Rows} rows ({card.TrainRows} training, {card.ValidRows} validation), ")
            .Append(CultureInfo.InvariantCulture,
                $"{card.Columns.Length} columns ({numeric} numeric, {card.Columns.Length - numeric} categorical)\n");
        if (card.ClassBalance is { Count: > 0 } balance)
        {
            int total = balance.Values.Sum();
            text.Append("classes: ")
                .AppendJoin(", ", balance.Take(LogListed).Select(kv => $"{DataFile.Snippet(kv.Key)} {kv.Value} ({DataCardWarnings.Percent(kv.Value, total)})"))
                .Append(More(balance.Count)).Append('\n');
        }
        ColumnCard[] missing = card.Columns.Where(c => c.Missing > 0).ToArray();
        if (missing.Length > 0)
            text.Append("missing values: ").AppendJoin(", ", missing.Take(LogListed).Select(c => $"{DataFile.Snippet(c.Name)} {c.Missing}"))
                .Append(More(missing.Length)).Append('\n');
        foreach (string warning in card.Warnings)
            text.Append("warning: ").Append(warning).Append('\n');
        return text.ToString();
    }

    // The log lists this many classes or columns, then says how many more: thousands of them
    // (an id column as the target, a very wide file) would otherwise fill the log.
    private const int LogListed = 20;

    private static string More(int count) => count > LogListed ? $" and {count - LogListed} more" : "";

    private static string Role(string name, string target, string? group, IReadOnlyCollection<string> ignored) =>
        name == target ? "target" : name == group ? "group" : ignored.Contains(name) ? "ignored" : "feature";

    private static ColumnCard Describe(TableColumn column, string role)
    {
        if (column.Kind == ColumnKind.Categorical)
        {
            int distinct = column.Labels.Where(l => l is not null).Distinct(StringComparer.Ordinal).Count();
            return new ColumnCard(column.Name, "categorical", column.MissingCount, distinct, null, null, null, role);
        }
        double[] present = column.Numbers.Where(v => !double.IsNaN(v)).ToArray();
        return present.Length == 0
            ? new ColumnCard(column.Name, "numeric", column.MissingCount, 0, null, null, null, role)
            : new ColumnCard(column.Name, "numeric", column.MissingCount, present.Distinct().Count(),
                present.Min(), present.Max(), present.Average(), role);
    }

    // Largest class first, so the log and the report lead with the majority.
    private static Dictionary<string, int> ClassBalance(TableColumn target) =>
        Enumerable.Range(0, target.Length)
            .Where(i => !IsMissing(target, i))
            .GroupBy(target.Format, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());

    private static int Duplicates(Table train, Table valid, string[] columns)
    {
        TableColumn[] trainColumns = columns.Select(n => train[n]).ToArray();
        TableColumn[] validColumns = columns.Select(n => valid[n]).ToArray();
        var seen = new HashSet<string>(Enumerable.Range(0, train.RowCount).Select(i => Key(trainColumns, i)), StringComparer.Ordinal);
        return Enumerable.Range(0, valid.RowCount).Count(i => seen.Contains(Key(validColumns, i)));
    }

    // A missing value gets a mark no formatted value can hold, so it never equals an empty label.
    private static string Key(TableColumn[] columns, int row) =>
        string.Join('\u001f', columns.Select(c => IsMissing(c, row) ? "\u0000" : c.Format(row)));

    private static bool IsMissing(TableColumn column, int row) =>
        column.Kind == ColumnKind.Numeric ? double.IsNaN(column.Numbers[row]) : column.Labels[row] is null;
}
