using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Reports;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>
/// A run folder as a binary tabular classification run leaves it: summary.json, metrics.csv,
/// config.yaml and (optionally) evaluation.json, with fixed, realistic numbers. Deleted on dispose.
/// </summary>
internal sealed class FakeRunFolder : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("hpclearn-report-");

    /// <summary>The model's final metrics when it beats the baseline (all 4-decimal numbers, so the table shows them exactly).</summary>
    public static readonly Dictionary<string, double> Winning = new() { ["accuracy"] = 0.8125, ["macro_f1"] = 0.7931, ["log_loss"] = 0.4187 };

    /// <summary>Final metrics of a model that does not beat the baseline on accuracy.</summary>
    public static readonly Dictionary<string, double> Losing = new() { ["accuracy"] = 0.5875, ["macro_f1"] = 0.4412, ["log_loss"] = 0.7012 };

    /// <summary>The majority-class baseline.</summary>
    public static readonly Dictionary<string, double> Baseline = new() { ["accuracy"] = 0.64, ["macro_f1"] = 0.3902, ["log_loss"] = 0.6531 };

    public const string Source = "data/churn <2024> & co.csv";

    public FakeRunFolder(string name = "demo", bool beats = true, bool withEvaluation = true)
    {
        Dir = Path.Combine(_root.FullName, name);
        Directory.CreateDirectory(Dir);
        var metrics = beats ? Winning : Losing;
        Summary = new RunSummary
        {
            Task = "tabular",
            RunDir = Dir,
            MetricsJson = RunSummary.Wrap(metrics),
            Baseline = Baseline,
            BaselineDescription = "majority class 'no' (64.0% of training rows)",
            BeatsBaseline = beats,
            Epochs = 8,
            Threads = 2,
            Timings = new() { ["load_seconds"] = 0.081, ["train_seconds"] = 2.412, ["evaluate_seconds"] = 0.05, ["total_seconds"] = 2.61 },
        };
        File.WriteAllText(Path.Combine(Dir, "summary.json"), Summary.ToJson());
        File.WriteAllText(Path.Combine(Dir, "metrics.csv"), MetricsCsv(metrics, 8));
        File.WriteAllText(Path.Combine(Dir, "config.yaml"), Config(name));
        if (withEvaluation) WriteEvaluation(Evaluation);
    }

    /// <summary>The run folder.</summary>
    public string Dir { get; }

    /// <summary>The folder that holds it.</summary>
    public string Root => _root.FullName;

    /// <summary>What summary.json holds.</summary>
    public RunSummary Summary { get; }

    /// <summary>A path inside the run folder.</summary>
    public string this[string file] => Path.Combine(Dir, file);

    /// <summary>Writes evaluation.json as the training run does (NaN as a named literal).</summary>
    public void WriteEvaluation(EvaluationReport report) =>
        File.WriteAllText(this["evaluation.json"], JsonSerializer.Serialize(report, JsonOptions));

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Ten epochs of falling loss and rising accuracy, ending at <paramref name="final"/>.</summary>
    private static string MetricsCsv(Dictionary<string, double> final, int epochs)
    {
        var sb = new StringBuilder("step,epoch,train_loss,valid_loss,accuracy,macro_f1,log_loss,lr,seconds\n");
        for (int e = 1; e <= epochs; e++)
        {
            double t = (double)(epochs - e) / (epochs - 1); // 1 at the first epoch, 0 at the last
            double valid = final["log_loss"] + 0.25 * t;
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{e * 25},{e},{valid - 0.04 + 0.1 * t:G6},{valid:G6},{final["accuracy"] - 0.2 * t:G6},{final["macro_f1"] - 0.3 * t:G6},{valid:G6},{0.01 * Math.Sin(Math.PI * e / (epochs + 1)):G6},0.301\n"));
        }
        return sb.ToString();
    }

    private static string Config(string name) => $"""
        task: tabular
        name: {name}
        seed: 42
        data:
          path: "{Source}"
          target: churn
          group: region
        model:
          layers: [64, 32]
        train:
          epochs: 8
          lr: 0.01

        """;

    /// <summary>A binary classification evaluation: data card, confusion, calibration, groups (one small).</summary>
    public static EvaluationReport Evaluation => new()
    {
        DataCard = new DataCard(Source, 1000, 800, 200,
            [
                new ColumnCard("tenure", "numeric", 0, 72, 1, 72, 32.4, "feature"),
                new ColumnCard("monthly_charges", "numeric", 11, 640, 18.25, 118.75, 64.76, "feature"),
                new ColumnCard("region", "categorical", 4, 2, null, null, null, "group"),
                new ColumnCard("churn", "categorical", 0, 2, null, null, null, "target"),
            ],
            new Dictionary<string, int> { ["no"] = 640, ["yes"] = 360 },
            3,
            ["3 validation rows repeat a training row's features (possible leakage).", "column 'monthly_charges' has 11 missing values (1.1%)."]),
        Confusion = new ConfusionReport(["no", "yes"], [[112, 16], [21, 51]]),
        Calibration = new CalibrationReport(1.7342, Calib(0.0912, 0.7, 0.4187), Calib(0.0231, 0.35, 0.3902), "validation split"),
        Groups = new GroupReport("region",
            [
                new GroupRow("north", 118, false, new() { ["accuracy"] = 0.8305, ["macro_f1"] = 0.8012, ["log_loss"] = 0.4011 }, 0.35, 0.74, 0.09),
                new GroupRow("south", 78, false, new() { ["accuracy"] = 0.7821, ["macro_f1"] = 0.7655, ["log_loss"] = 0.4466 }, 0.30, 0.66, 0.12),
                new GroupRow("missing", 4, true, new() { ["accuracy"] = 1.0, ["macro_f1"] = 1.0, ["log_loss"] = 0.2101 }, 0.25, 1.0, 0.0),
            ],
            new() { ["accuracy"] = 0.0484, ["macro_f1"] = 0.0357, ["log_loss"] = 0.0455 },
            0.05, 0.08, "yes", 10),
    };

    /// <summary>15 bins; the low ones empty (NaN), the model overconfident by <paramref name="gap"/> scaled.</summary>
    private static CalibrationResult Calib(double ece, double gap, double nll)
    {
        var bins = Enumerable.Range(0, 15).Select(i =>
        {
            double lo = i / 15.0, hi = (i + 1) / 15.0, mid = (lo + hi) / 2;
            return i < 7
                ? new ReliabilityBin(lo, hi, 0, double.NaN, double.NaN)
                : new ReliabilityBin(lo, hi, 10 + 3 * i, mid, Math.Clamp(mid - gap * (mid - 0.5) * 0.5, 0, 1));
        }).ToArray();
        return new CalibrationResult(ece, ece * 1.1, ece * 2.5, 0.27, nll, 0.8125, bins);
    }

    public void Dispose()
    {
        try { _root.Delete(recursive: true); }
        catch (IOException) { } // a leftover temp folder is not a test failure
    }
}
