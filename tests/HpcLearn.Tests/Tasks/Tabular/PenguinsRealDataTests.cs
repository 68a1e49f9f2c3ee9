using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>
/// The real Palmer penguins file (npm vega-datasets, fetched by scripts/fetch-penguins.sh, as
/// .ci/run does) through examples/penguins.yaml: the accuracy the README and benchmarks quote.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class PenguinsRealDataTests
{
    private static string PenguinsFile(string root)
    {
        string path = Path.Combine(root, "data", "downloads", "penguins.json");
        if (File.Exists(path)) return path;
        var psi = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "fetch-penguins.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0 && File.Exists(path), "scripts/fetch-penguins.sh failed (it needs npm and the npm registry): " + err);
        return path;
    }

    [Fact]
    public void Example_config_reaches_097_accuracy_beside_the_majority_baseline()
    {
        string root = RepoPaths.Root;
        string data = PenguinsFile(root);
        var config = (TabularConfig)ConfigLoader.Load(Path.Combine(root, "examples", "penguins.yaml"), [$"data.path={data}"],
            name => TaskRegistry.Find(name)?.ConfigType);
        using var tmp = new TempFolder();
        var run = new TabularTask().Train(config, new RunContext { RunsRoot = tmp.Path, Out = TextWriter.Null, TensorBoard = false });

        Assert.Equal(344, run.Data.Train.RowCount + run.Data.Valid.RowCount);
        Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], run.Data.Schema.Target.Classes);
        Assert.True(run.Summary.Metrics["accuracy"] >= 0.97, $"accuracy {run.Summary.Metrics["accuracy"]}");
        Assert.Equal(38.0 / 86, run.Summary.Baseline["accuracy"], 1e-9); // majority class Adelie on the 86 validation birds
        Assert.True(run.Summary.BeatsBaseline);
    }
}
