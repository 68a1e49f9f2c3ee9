using HpcLearn.Data;

namespace HpcLearn.Evaluation.Reports;

/// <summary>Reads metrics.csv (epoch,step,train_loss,valid_loss,metrics...,lr,seconds) through <see cref="CsvSource"/>.</summary>
internal static class MetricsCsvReader
{
    private static readonly HashSet<string> Fixed = ["epoch", "step", "train_loss", "valid_loss", "lr", "seconds"];

    /// <summary>Loads the file; a malformed one is a <see cref="UserError"/> naming the file and line.</summary>
    public static EpochHistory Read(string path)
    {
        string header = File.ReadLines(path).FirstOrDefault() ?? "";
        var options = new CsvOptions
        {
            Delimiter = ',',
            // Every column training writes is a number; empty cells are missing (no validation).
            NumericColumns = header.Split(',').Select(c => c.Trim()).Where(c => c.Length > 0).ToList(),
            NumericReason = "should hold numbers, as training writes them,",
            MissingTokens = [""],
        };
        var table = CsvSource.Load(path, options);
        var metrics = table.Columns.Where(c => !Fixed.Contains(c.Name))
            .Select(c => new KeyValuePair<string, double[]>(c.Name, c.Numbers)).ToList();
        return new EpochHistory(table["epoch"].Numbers, table["train_loss"].Numbers, table["valid_loss"].Numbers,
            table["lr"].Numbers, metrics);
    }
}
