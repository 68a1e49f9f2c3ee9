using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Tabular;

namespace HpcLearn.Bench;

/// <summary>
/// Writes the training and validation rows that a tabular config's run uses (same loader, same
/// split, same seed) as train.csv and valid.csv, so a peer is scored on exactly the same rows.
/// </summary>
internal static class WriteSplit
{
    public static int Run(string[] args)
    {
        var config = (TabularConfig)ConfigLoader.Load(args[0], [], name => TaskRegistry.Find(name)?.ConfigType);
        var data = TabularData.Prepare(config, TextWriter.Null);
        Directory.CreateDirectory(args[1]);
        foreach (var (name, table) in new[] { ("train.csv", data.Train), ("valid.csv", data.Valid) })
        {
            using var w = new StreamWriter(Path.Combine(args[1], name));
            TableCsvWriter.Write(table, w);
        }
        return 0;
    }
}
