using HpcLearn.Data;

namespace HpcLearn.Bench;

/// <summary>
/// Writes N rows of the built-in spend regression (with its target) drawn from SEED as CSV: a test
/// file for runs on <c>builtin: spend</c>, drawn apart from their training rows by using another seed.
/// </summary>
internal static class WriteSpend
{
    public static int Run(string[] args)
    {
        int n = int.Parse(args[0]), seed = int.Parse(args[1]);
        using var w = new StreamWriter(args[2]);
        TableCsvWriter.Write(SyntheticTabular.Regression(n, seed), w);
        return 0;
    }
}
