using System.Globalization;
using HpcLearn.Data;

namespace HpcLearn.Runs.Metrics;

/// <summary>
/// Reads <c>metrics.csv</c> (step, epoch, named columns; any order, as <see cref="MetricsLog"/>
/// or an older HpcLearn wrote it) through <see cref="CsvSource"/>. The one reader of the file:
/// the report, <c>hpclearn status</c> and the pre-flight epoch time use it.
/// </summary>
public static class MetricsCsvReader
{
    /// <summary>Loads the file; a malformed one is a <see cref="UserError"/> naming the file and line.</summary>
    public static MetricsHistory Read(string path)
    {
        string header = File.ReadLines(path).FirstOrDefault() ?? "";
        var options = new CsvOptions
        {
            Delimiter = ',',
            // Every column training writes is a number; empty cells are missing (no validation, no epoch).
            NumericColumns = header.Split(',').Select(c => c.Trim()).Where(c => c.Length > 0).ToList(),
            NumericReason = "should hold numbers, as training writes them,",
            MissingTokens = [""],
        };
        var table = CsvSource.Load(path, options);
        int n = table.Columns.Count > 0 ? table.Columns[0].Numbers.Length : 0;
        double[] Fixed(string name) => table.Columns.FirstOrDefault(c => c.Name == name)?.Numbers ?? Enumerable.Repeat(double.NaN, n).ToArray();
        var named = table.Columns.Where(c => c.Name is not (MetricsLog.StepColumn or MetricsLog.EpochColumn))
            .Select(c => new KeyValuePair<string, double[]>(c.Name, c.Numbers)).ToList();
        return new MetricsHistory(Fixed(MetricsLog.StepColumn), Fixed(MetricsLog.EpochColumn), named);
    }

    /// <summary>
    /// The last row's non-empty cells by column, as written, or null when the file is missing,
    /// has no row or cannot be read: for <c>hpclearn status</c>, which must not fail on a run
    /// being written.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? LastRow(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
            if (lines.Count < 2) return null;
            var header = lines[0].Split(',').Select(c => c.Trim());
            var cells = lines[^1].Split(',');
            return header.Zip(cells).Where(p => p.Second.Length > 0).ToDictionary(p => p.First, p => p.Second);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> values of <paramref name="column"/> that parse as
    /// numbers, oldest first; empty when the file or column is missing or unreadable.
    /// </summary>
    public static IReadOnlyList<double> LastValues(string path, string column, int count)
    {
        try
        {
            if (!File.Exists(path)) return [];
            var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
            if (lines.Count < 2) return [];
            int index = Array.IndexOf(lines[0].Split(',').Select(c => c.Trim()).ToArray(), column);
            if (index < 0) return [];
            return lines.Skip(1).Select(l => l.Split(','))
                .Select(cells => cells.Length > index && double.TryParse(cells[index], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : (double?)null)
                .OfType<double>().TakeLast(count).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
