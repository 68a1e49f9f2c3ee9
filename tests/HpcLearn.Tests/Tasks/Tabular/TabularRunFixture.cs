using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>
/// One small tabular model trained on built-in data, shared by a test class: 600 rows, a
/// [32, 16] MLP, 5 epochs (about a second), TensorBoard off.
/// </summary>
public abstract class TabularRunFixture : IDisposable
{
    private readonly TempFolder _root = new();

    protected TabularRunFixture(string builtin)
    {
        Config = TinyConfig(builtin, builtin);
        var log = new StringWriter();
        Run = new TabularTask().Train(Config, new RunContext { Out = log, RunsRoot = _root.Path, TensorBoard = false });
        Log = log.ToString();
    }

    /// <summary>The config it was trained with.</summary>
    public TabularConfig Config { get; }

    /// <summary>Summary, run folder and split data.</summary>
    public TabularRun Run { get; }

    /// <summary>What training printed.</summary>
    public string Log { get; }

    /// <summary>The model folder.</summary>
    public string ModelDir => Run.Folder.ModelDir;

    /// <summary>The folder that holds the run folder.</summary>
    public string RunsRoot => _root.Path;

    /// <summary>A small config that trains in about a second and beats the baseline.</summary>
    public static TabularConfig TinyConfig(string name, string builtin = "churn", int seed = 42) => new()
    {
        Name = name,
        Seed = seed,
        Data = new TabularDataOptions { Builtin = builtin, BuiltinRows = 600 },
        Model = new TabularModelOptions { Layers = [32, 16] },
        Train = new TrainOptions { Epochs = 5, LearningRate = 0.01, BatchSize = 32 },
    };

    /// <summary>Writes <paramref name="table"/> as CSV to <paramref name="path"/>, leaving out <paramref name="drop"/>.</summary>
    public static string WriteCsv(Table table, string path, params string[] drop)
    {
        using (var w = new StreamWriter(path)) TableCsvWriter.Write(TableCsvWriter.Without(table, drop), w);
        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _root.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A classifier trained on the built-in churn data.</summary>
public sealed class ChurnRunFixture() : TabularRunFixture("churn");

/// <summary>A regressor trained on the built-in spend data.</summary>
public sealed class SpendRunFixture() : TabularRunFixture("spend");
