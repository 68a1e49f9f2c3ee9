using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Data;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Cluster;

/// <summary>
/// <c>hpclearn cluster</c>: loads a table, optionally standardises it, runs k-means for one k or
/// each k of a range (choosing the best silhouette), and writes the output folder:
/// assignments.csv, centres.csv (original units), summary.json, k-selection.csv (for a range),
/// plots/clusters.png, plots/k-selection.png (for a range) and model/ (for <c>hpclearn predict</c>).
/// </summary>
public static class ClusterRun
{
    /// <summary>Runs <paramref name="o"/>, printing progress to <paramref name="log"/>; returns the output folder.</summary>
    public static string Run(ClusterRunOptions o, TextWriter log)
    {
        string outDir = o.OutDir ?? ClusterRunOptions.DefaultOutDir(o.DataPath);
        if (o.KMin < 1 || o.KMax < o.KMin) throw new UserError($"--k: bad range {o.KMin}..{o.KMax}");
        if (o.NInit < 1) throw new UserError($"--n-init must be at least 1 (got {o.NInit})");
        var table = TableSource.Load(o.DataPath);
        var truthColumn = o.LabelsColumn is null ? null : table[o.LabelsColumn];
        var input = ClusterInput.From(table, o.Columns, o.LabelsColumn, o.DropMissing);
        foreach (var note in input.Notes) log.WriteLine(note);
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new UserError($"output folder '{outDir}' already exists and is not empty; choose another --out or remove it");
        int n = input.N, d = input.D;
        log.WriteLine($"data: {o.DataPath}: {n} rows, {d} column{(d > 1 ? "s" : "")} ({string.Join(", ", input.Columns)})");

        var scaling = Standardizer.None(d);
        if (o.Standardize)
        {
            scaling = Standardizer.Fit(input.Data, n, d, out var constant);
            if (constant.Count > 0)
                log.WriteLine($"note: constant column{(constant.Count > 1 ? "s" : "")} {string.Join(", ", constant.Select(j => $"'{input.Columns[j]}'"))} left at 0 by --standardize (nothing to scale)");
        }
        var x = o.Standardize ? scaling.Apply(input.Data, d) : input.Data;

        int distinct = DataChecks.DistinctRows(x, n, d, o.KMax);
        if (distinct < o.KMax)
            throw new UserError($"k-means: k = {o.KMax} is larger than the number of distinct points ({distinct}); lower k");

        var fits = new List<(KMeansResult Fit, KChoice Row)>();
        for (int k = o.KMin; k <= o.KMax; k++)
        {
            var fit = KMeans.Fit(x, n, d, new KMeansOptions { K = k, NInit = o.NInit, Seed = o.Seed });
            fits.Add((fit, new KChoice(k, fit.Inertia, Silhouette(x, n, d, fit.Labels, k, o), Defined(k, n) ? ClusterMetrics.DaviesBouldin(x, n, d, fit.Labels) : double.NaN)));
        }
        var best = fits[0];
        bool range = o.KMax > o.KMin;
        if (range)
        {
            log.WriteLine("   k        inertia  silhouette  davies_bouldin");
            foreach (var (_, r) in fits) log.WriteLine($"{r.K,4} {Fmt(r.Inertia),14} {Fmt(r.Silhouette),11} {Fmt(r.DaviesBouldin),15}");
            best = fits.Where(f => double.IsFinite(f.Row.Silhouette)).MaxBy(f => f.Row.Silhouette);
            log.WriteLine($"chose k = {best.Row.K}: the best silhouette ({Fmt(best.Row.Silhouette)}) over k = {o.KMin}..{o.KMax}");
        }
        var (result, row) = best;
        int bestK = row.K;
        var labels = result.Labels;

        var summary = new JsonObject
        {
            ["data"] = o.DataPath,
            ["rows"] = n,
            ["columns"] = new JsonArray(input.Columns.Select(c => (JsonNode)c!).ToArray()),
            ["standardize"] = o.Standardize,
            ["k"] = bestK,
            ["k_chosen_by"] = range ? $"best silhouette over k = {o.KMin}..{o.KMax}" : "--k",
            ["inertia"] = Num(row.Inertia),
            ["silhouette"] = Num(row.Silhouette),
            ["silhouette_sample"] = n > o.SilhouetteSample ? o.SilhouetteSample : null,
            ["davies_bouldin"] = Num(row.DaviesBouldin),
            ["calinski_harabasz"] = Num(Defined(bestK, n) ? ClusterMetrics.CalinskiHarabasz(x, n, d, labels) : double.NaN),
            ["cluster_sizes"] = new JsonArray(Enumerable.Range(0, bestK).Select(c => (JsonNode)labels.Count(l => l == c)).ToArray()),
            ["iterations"] = result.Iterations,
            ["n_init"] = o.NInit,
            ["seed"] = o.Seed,
        };
        if (truthColumn is not null)
        {
            var truth = TruthLabels(truthColumn, input.Rows, table.Source);
            summary["ari"] = ClusterMetrics.AdjustedRandIndex(truth, labels);
            summary["nmi"] = ClusterMetrics.NormalizedMutualInformation(truth, labels);
        }
        log.WriteLine($"k = {bestK}: inertia {Fmt(row.Inertia)}, silhouette {Fmt(row.Silhouette)}{(n > o.SilhouetteSample ? $" (sample of {o.SilhouetteSample})" : "")}, "
            + $"Davies-Bouldin {Fmt(row.DaviesBouldin)}, Calinski-Harabasz {Fmt(summary["calinski_harabasz"]?.GetValue<double>() ?? double.NaN)}"
            + (truthColumn is null ? "" : $"; against '{truthColumn.Name}': ARI {Fmt(summary["ari"]!.GetValue<double>())}, NMI {Fmt(summary["nmi"]!.GetValue<double>())}"));

        Directory.CreateDirectory(Path.Combine(outDir, "plots"));
        var a = new StringBuilder("row,cluster\n");
        for (int i = 0; i < n; i++) a.Append(I(input.Rows[i])).Append(',').Append(I(labels[i])).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(outDir, "assignments.csv"), a.ToString());
        var original = scaling.Invert(result.Centres, d);
        var c = new StringBuilder("cluster," + string.Join(",", input.Columns.Select(Csv)) + "\n");
        for (int k = 0; k < bestK; k++)
            c.Append(I(k)).Append(',').AppendJoin(',', Enumerable.Range(0, d).Select(j => ((float)original[k * d + j]).ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(outDir, "centres.csv"), c.ToString());
        if (range)
        {
            var t = new StringBuilder("k,inertia,silhouette,davies_bouldin\n");
            foreach (var (_, r) in fits) t.Append($"{I(r.K)},{R(r.Inertia)},{R(r.Silhouette)},{R(r.DaviesBouldin)}\n");
            AtomicFile.WriteAllText(Path.Combine(outDir, "k-selection.csv"), t.ToString());
            AtomicFile.WriteAllBytes(Path.Combine(outDir, "plots", "k-selection.png"), ClusterPlots.KSelection(fits.Select(f => f.Row).ToList()));
        }
        AtomicFile.WriteAllBytes(Path.Combine(outDir, "plots", "clusters.png"), ClusterPlots.Scatter(x, n, d, labels, result.Centres, bestK, input.Columns));
        var metrics = new Dictionary<string, double> { ["inertia"] = row.Inertia, ["silhouette"] = row.Silhouette, ["davies_bouldin"] = row.DaviesBouldin };
        new ClusterModel(input.Columns, result.Centres, bestK, scaling, o.Standardize).Save(Path.Combine(outDir, "model"), metrics, o.Seed);
        AtomicFile.WriteAllText(Path.Combine(outDir, "summary.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        log.WriteLine($"wrote {outDir} (assignments.csv, centres.csv, summary.json{(range ? ", k-selection.csv" : "")}, plots/, model/); assign new points with: hpclearn predict {Path.Combine(outDir, "model")} NEW.csv");
        return outDir;
    }

    private static bool Defined(int k, int n) => k >= 2 && k <= n - 1;

    private static double Silhouette(float[] x, int n, int d, int[] labels, int k, ClusterRunOptions o)
    {
        if (!Defined(k, n)) return double.NaN;
        return n > o.SilhouetteSample
            ? ClusterMetrics.SilhouetteSampled(x, n, d, labels, o.SilhouetteSample, o.Seed)
            : ClusterMetrics.Silhouette(x, n, d, labels);
    }

    private static int[] TruthLabels(DataColumn col, int[] rows, string source)
    {
        var ids = new Dictionary<string, int>();
        var truth = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            string v = col.Format(rows[i] - 1);
            if (v.Length == 0) throw new UserError($"{source}: row {rows[i]}, labels column '{col.Name}' is missing; every row needs a label for --labels");
            if (!ids.TryGetValue(v, out truth[i])) ids[v] = truth[i] = ids.Count;
        }
        return truth;
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string R(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString(Math.Abs(v) >= 1e5 ? "G6" : "0.####", CultureInfo.InvariantCulture) : "n/a";
    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
