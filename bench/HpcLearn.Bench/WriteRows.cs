using HpcLearn.Data;

namespace HpcLearn.Bench;

/// <summary>Writes N rows of built-in churn data (without the target) as CSV: the predict benchmark's input.</summary>
internal static class WriteRows
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[0]);
        var table = TableCsvWriter.Without(SyntheticTabular.Churn(n, seed: 123), "churn");
        using var w = new StreamWriter(args[1]);
        TableCsvWriter.Write(table, w);
        return 0;
    }
}
