using System.Globalization;
using System.Text;
using CsvHelper;
using HpcLearn.Config;
using HpcLearn.Evaluation;

namespace HpcLearn.Runs;

/// <summary>
/// Ranks the finished runs of a sweep folder (<c>&lt;name&gt;-sweep/&lt;i&gt;/summary.json</c>) by their
/// primary validation metric, best first, in the metric's own direction (<see cref="MetricInfo"/>).
/// Runs without a summary are listed as failed (with why) when their latest attempt failed
/// (<c>failure.json</c>, or a failure Slurm reported), else as unfinished. Any folder of run
/// folders works; a sweep's <c>points.tsv</c> adds each point's swept values as columns.
/// </summary>
public sealed class SweepRanking
{
    private SweepRanking(string metric, IReadOnlyList<string> keys, IReadOnlyList<SweepRankingRow> rows, IReadOnlyList<string> unfinished,
        IReadOnlyList<(string Run, string Reason)> failed)
    {
        Metric = metric;
        Keys = keys;
        Rows = rows;
        Unfinished = unfinished;
        Failed = failed;
    }

    /// <summary>The metric ranked by (e.g. <c>accuracy</c>).</summary>
    public string Metric { get; }

    /// <summary>The swept keys, one column each.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Finished runs, best first.</summary>
    public IReadOnlyList<SweepRankingRow> Rows { get; }

    /// <summary>Run folders (names) without summary.json yet that have not failed.</summary>
    public IReadOnlyList<string> Unfinished { get; }

    /// <summary>Run folders (names) without summary.json whose latest attempt failed, with why (one line each).</summary>
    public IReadOnlyList<(string Run, string Reason)> Failed { get; }

    /// <summary>Reads the runs under <paramref name="folder"/> and ranks them.</summary>
    /// <param name="folder">The sweep folder, or any folder of run folders.</param>
    /// <param name="otherFailures">
    /// Runs that failed without a <c>failure.json</c> (killed: out of memory, time limit, node
    /// failure), by name, with what Slurm said; null for none.
    /// </param>
    /// <exception cref="UserError">The folder is missing or holds no finished run.</exception>
    public static SweepRanking Read(string folder, IReadOnlyDictionary<string, string>? otherFailures = null)
    {
        if (!Directory.Exists(folder)) throw new UserError($"sweep folder '{folder}' does not exist");
        var points = PointTable.Read(folder).ToDictionary(p => p.Index.ToString(CultureInfo.InvariantCulture));
        var runs = points.Count > 0
            ? points.Keys.ToList()
            : Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>()
                .Where(d => File.Exists(Path.Combine(folder, d, "config.yaml"))).ToList();
        var finished = new List<(string Run, RunSummary Summary)>();
        var unfinished = new List<string>();
        var failed = new List<(string, string)>();
        foreach (var run in runs.OrderBy(r => int.TryParse(r, out int i) ? i : int.MaxValue).ThenBy(r => r, StringComparer.Ordinal))
        {
            if (RunStatus.ReadSummary(Path.Combine(folder, run, "summary.json")) is { } s) finished.Add((run, s));
            else if (RunAttempt.ReadFailure(Path.Combine(folder, run)) is { } f) failed.Add((run, $"exit {f.ExitCode}: {f.Reason}"));
            else if (otherFailures?.GetValueOrDefault(run) is { } why) failed.Add((run, why));
            else unfinished.Add(run);
        }
        if (finished.Count == 0)
            throw new UserError($"no finished run in '{folder}' yet (no <run>/summary.json" +
                (failed.Count > 0 ? $"; {failed.Count} failed: {string.Join(", ", failed.Select(f => f.Item1))}" : "") +
                $"); 'hpclearn status {folder}' shows how far they are");
        string metric = PrimaryMetric(finished[0].Summary)
            ?? throw new UserError($"{Path.Combine(folder, finished[0].Run, "summary.json")} has no known validation metric to rank by");
        var keys = points.Values.SelectMany(p => p.Overrides).Select(o => o[..o.IndexOf('=')]).Distinct().ToList();
        bool higher = MetricInfo.HigherIsBetter(metric);
        var ranked = finished
            .Select(f => (f.Run, f.Summary, Value: f.Summary.Metrics.GetValueOrDefault(metric, double.NaN)))
            .OrderBy(f => double.IsNaN(f.Value) ? 1 : 0)
            .ThenBy(f => higher ? -f.Value : f.Value)
            .Select((f, i) => new SweepRankingRow(i + 1, f.Run, Values(points.GetValueOrDefault(f.Run), keys), f.Value, f.Summary.Epochs))
            .ToList();
        return new SweepRanking(metric, keys, ranked, unfinished, failed);
    }

    /// <summary>Writes <c>ranking.csv</c> and <c>ranking.md</c> into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        using (var writer = new StringWriter())
        {
            using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true))
            {
                foreach (var h in Header()) csv.WriteField(h);
                csv.NextRecord();
                foreach (var row in Cells()) { foreach (var c in row) csv.WriteField(c); csv.NextRecord(); }
            }
            AtomicFile.WriteAllText(Path.Combine(folder, "ranking.csv"), writer.ToString());
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "ranking.md"), ToMarkdown());
    }

    /// <summary>The ranking as a Markdown table, then the runs not finished yet, then the failed runs with why.</summary>
    public string ToMarkdown()
    {
        var rows = new List<IReadOnlyList<string>> { Header() };
        rows.AddRange(Cells());
        var widths = Enumerable.Range(0, rows[0].Count).Select(c => rows.Max(r => r[c].Length)).ToList();
        var s = new StringBuilder();
        s.Append($"Ranked by {Metric} ({(MetricInfo.HigherIsBetter(Metric) ? "higher" : "lower")} is better), best first.\n\n");
        for (int r = 0; r < rows.Count; r++)
        {
            s.Append("| ").AppendJoin(" | ", rows[r].Select((c, i) => c.PadRight(widths[i]))).Append(" |\n");
            if (r == 0) s.Append("| ").AppendJoin(" | ", widths.Select(w => new string('-', w))).Append(" |\n");
        }
        if (Unfinished.Count > 0) s.Append($"\nNot finished ({Unfinished.Count}): {string.Join(", ", Unfinished)}\n");
        if (Failed.Count > 0)
        {
            s.Append($"\nFailed ({Failed.Count}):\n\n");
            foreach (var (run, reason) in Failed) s.Append($"- {run}: {reason}\n");
        }
        return s.ToString();
    }

    private List<string> Header() => ["rank", "run", .. Keys, Metric, "epochs"];

    private IEnumerable<List<string>> Cells() => Rows.Select(r => new List<string>
    {
        r.Rank.ToString(CultureInfo.InvariantCulture), r.Run,
    }.Concat(r.Values).Append(double.IsNaN(r.Value) ? "" : r.Value.ToString("G6", CultureInfo.InvariantCulture))
     .Append(r.Epochs.ToString(CultureInfo.InvariantCulture)).ToList());

    private static string? PrimaryMetric(RunSummary s)
    {
        if (s.PrimaryMetric is { } m && s.Metrics.ContainsKey(m) && MetricInfo.IsKnown(m)) return m;
        return s.Metrics.Keys.FirstOrDefault(MetricInfo.IsKnown);
    }

    private static IReadOnlyList<string> Values(SweepPoint? point, IReadOnlyList<string> keys)
    {
        var byKey = point?.Overrides.ToDictionary(o => o[..o.IndexOf('=')], o => o[(o.IndexOf('=') + 1)..]) ?? new();
        return keys.Select(k => byKey.GetValueOrDefault(k, "")).ToList();
    }
}
