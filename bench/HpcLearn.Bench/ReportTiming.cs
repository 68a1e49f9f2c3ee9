using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Reports;

namespace HpcLearn.Bench;

/// <summary>
/// Times <see cref="RunReport.Build"/> on a run folder: the first call in the process (what
/// training pays: JIT, Skia and font loading) and the median of five more. A run without
/// evaluation.json gets a representative one (binary confusion, 15 reliability bins, 3 groups),
/// so every plot is drawn.
/// </summary>
internal static class ReportTiming
{
    public static int Run(string[] args)
    {
        string dir = args[0];
        string evaluation = Path.Combine(dir, "evaluation.json");
        bool sample = !File.Exists(evaluation);
        if (sample) File.WriteAllText(evaluation, JsonSerializer.Serialize(Sample(), new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));

        var clock = Stopwatch.StartNew();
        string report = RunReport.Build(dir);
        double cold = clock.Elapsed.TotalMilliseconds;
        var warm = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            clock.Restart();
            RunReport.Build(dir);
            warm.Add(clock.Elapsed.TotalMilliseconds);
        }
        warm.Sort();
        int plots = Directory.GetFiles(Path.Combine(dir, "plots"), "*.png").Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold_ms={cold:F0} warm_ms={warm[2]:F0} plots={plots} html_kb={new FileInfo(report).Length / 1024} sample_evaluation={sample.ToString().ToLowerInvariant()}"));
        return 0;
    }

    private static EvaluationReport Sample()
    {
        ReliabilityBin[] Bins(double gap) => Enumerable.Range(0, 15).Select(i =>
        {
            double lo = i / 15.0, hi = (i + 1) / 15.0, mid = (lo + hi) / 2;
            return i < 7 ? new ReliabilityBin(lo, hi, 0, double.NaN, double.NaN) : new ReliabilityBin(lo, hi, 40 + 9 * i, mid, mid - gap * (mid - 0.5));
        }).ToArray();
        return new EvaluationReport
        {
            DataCard = new DataCard("built-in churn", 5000, 4000, 1000,
                [new ColumnCard("tenure", "numeric", 0, 72, 1, 72, 32.4, "feature"), new ColumnCard("churn", "categorical", 0, 2, null, null, null, "target")],
                new() { ["no"] = 3360, ["yes"] = 1640 }, 0, []),
            Confusion = new ConfusionReport(["no", "yes"], [[610, 62], [73, 255]]),
            Calibration = new CalibrationReport(1.31, new CalibrationResult(0.041, 0.044, 0.11, 0.19, 0.30, 0.865, Bins(0.2)),
                new CalibrationResult(0.018, 0.02, 0.06, 0.18, 0.28, 0.865, Bins(0.05)), "validation split"),
            Groups = new GroupReport("contract",
                [
                    new GroupRow("monthly", 560, false, new() { ["accuracy"] = 0.83 }, 0.4, 0.8, 0.1),
                    new GroupRow("yearly", 430, false, new() { ["accuracy"] = 0.91 }, 0.2, 0.7, 0.05),
                    new GroupRow("missing", 10, true, new() { ["accuracy"] = 0.9 }, 0.3, 1, 0),
                ],
                new() { ["accuracy"] = 0.08 }, 0.2, 0.1, "yes", 30),
        };
    }
}
