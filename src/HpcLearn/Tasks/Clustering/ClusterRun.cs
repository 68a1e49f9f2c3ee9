using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Cluster;
using HpcLearn.Data;
using HpcLearn.Runs;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// The clustering itself, for <see cref="ClusterTask"/>: loads a table, optionally standardises it, runs
/// k-means or a Gaussian mixture for one k or each k of a range (choosing the best silhouette, or the
/// lowest BIC), or DBSCAN, measures the result against the trivial baselines, and writes its files into
/// the run folder: assignments.csv, centres.csv (original units), k-selection.csv (for a range),
/// plots/clusters.png and plots/k-selection.png (for a range). summary.json, metrics.csv and model/ are
/// the task's, from the <see cref="ClusterRunResult"/>.
/// </summary>
internal static class ClusterRun
{
    /// <summary>Runs <paramref name="o"/>, printing progress to <paramref name="log"/>; on rank 0 returns what was written, elsewhere null.</summary>
    /// <param name="o">What to run.</param>
    /// <param name="log">Progress lines (pass <see cref="TextWriter.Null"/> on ranks other than 0).</param>
    /// <param name="comm">
    /// The run's ranks (injected: <c>RunContext.Communicator</c>). Under MPI every rank calls this with the
    /// same options and reads the same file: k-means and mini-batch k-means split the rows over the ranks
    /// (the result is one process's, bit for bit) and rank 0 alone writes. Gaussian mixtures and DBSCAN
    /// run on one rank only.
    /// </param>
    /// <param name="openFolder">
    /// Opens the run folder and returns its path; called on rank 0 only, once the data are checked and
    /// fitted, so that bad data leave nothing behind.
    /// </param>
    public static ClusterRunResult? Run(ClusterRunOptions o, TextWriter log, ICommunicator comm, Func<string> openFolder)
    {
        if (comm.Size > 1 && o.Algorithm is ClusterAlgorithm.GaussianMixture or ClusterAlgorithm.Dbscan)
            throw new UserError($"--algorithm {(o.Algorithm == ClusterAlgorithm.Dbscan ? "dbscan" : "gmm")} runs on one process, but this is one of {comm.Size} MPI ranks; only kmeans and minibatch split the rows over ranks: start it without mpirun/srun (or with one task)");
        if (o.KMin < 1 || o.KMax < o.KMin) throw new UserError($"--k: bad range {o.KMin}..{o.KMax}");
        if (o.Algorithm == ClusterAlgorithm.Dbscan) new DbscanOptions { Eps = o.Eps, MinSamples = o.MinSamples }.Validate();
        if (o.NInit < 1) throw new UserError($"--n-init must be at least 1 (got {o.NInit})");
        if (o.Stream) return StreamedClusterRun.Run(o, log, comm, openFolder);
        var table = TableSource.Load(o.DataPath);
        var truthColumn = o.LabelsColumn is null ? null : table[o.LabelsColumn];
        var input = ClusterInput.From(table, o.Columns, o.LabelsColumn, o.DropMissing);
        foreach (var note in input.Notes) log.WriteLine(note);
        int n = input.N, d = input.D;
        log.WriteLine($"data: {o.DataPath}: {n} rows, {d} column{(d > 1 ? "s" : "")} ({string.Join(", ", input.Columns)})");
        if (comm.Size > 1)
        {
            var shard = new PointShard(n, comm);
            log.WriteLine($"{comm.Size} ranks ({comm.Name}): each works on a contiguous share of the rows (rank 0: rows 1..{shard.End}); centre sums, counts and inertia are all-reduced each iteration");
        }

        var scaling = Standardizer.None(d);
        if (o.Standardize)
        {
            scaling = Standardizer.Fit(input.Data, n, d, out var constant, comm);
            if (constant.Count > 0)
                log.WriteLine($"note: constant column{(constant.Count > 1 ? "s" : "")} {string.Join(", ", constant.Select(j => $"'{input.Columns[j]}'"))} left at 0 by --standardize (nothing to scale)");
        }
        var x = o.Standardize ? scaling.Apply(input.Data, d) : input.Data;

        if (o.Algorithm != ClusterAlgorithm.Dbscan)
        {
            int distinct = DataChecks.DistinctRows(x, n, d, o.KMax);
            if (distinct < o.KMax)
                throw new UserError($"{(o.Algorithm == ClusterAlgorithm.GaussianMixture ? "Gaussian mixture" : "k-means")}: k = {o.KMax} is larger than the number of distinct points ({distinct}); lower k");
        }
        var clock = Stopwatch.StartNew();
        var fit = o.Algorithm switch
        {
            ClusterAlgorithm.GaussianMixture => ClusterFits.MixtureFits(x, n, d, o, input, scaling, log),
            ClusterAlgorithm.Dbscan => ClusterFits.DbscanFit(x, n, d, o, input, scaling),
            _ => ClusterFits.KMeansFits(x, n, d, o, input, scaling, log, comm),
        };
        double fitSeconds = clock.Elapsed.TotalSeconds;
        if (comm.Rank != 0) return null; // rank 0 alone measures and writes
        int bestK = fit.K;
        var labels = fit.Labels;
        // DBSCAN's noise is not a cluster: the internal metrics are over the clustered points only.
        var (mx, mn, ml) = Clustered(x, n, d, labels);
        double sil = ClusterFits.Silhouette(mx, mn, d, ml, o), db = ClusterFits.DaviesBouldin(mx, mn, d, ml), ch = ClusterFits.CalinskiHarabasz(mx, mn, d, ml);

        var summary = new JsonObject
        {
            ["data"] = o.DataPath,
            ["rows"] = n,
            ["columns"] = new JsonArray(input.Columns.Select(c => (JsonNode)c!).ToArray()),
            ["standardize"] = o.Standardize,
            ["algorithm"] = AlgorithmName(o.Algorithm),
            ["k"] = bestK,
        };
        foreach (var (key, value) in fit.Summary) summary[key] = value?.DeepClone();
        summary["silhouette"] = ClusterFits.Num(sil);
        summary["silhouette_sample"] = mn > o.SilhouetteSample ? o.SilhouetteSample : null;
        summary["davies_bouldin"] = ClusterFits.Num(db);
        summary["calinski_harabasz"] = ClusterFits.Num(ch);
        if (mn < n) summary["metrics_over"] = $"the {mn} clustered points (noise left out)";
        summary["cluster_sizes"] = new JsonArray(Enumerable.Range(0, bestK).Select(c => (JsonNode)labels.Count(l => l == c)).ToArray());
        summary["seed"] = o.Seed;
        if (truthColumn is not null)
        {
            var truth = TruthLabels(truthColumn, input.Rows, table.Source);
            summary["ari"] = ClusterMetrics.AdjustedRandIndex(truth, labels);
            summary["nmi"] = ClusterMetrics.NormalizedMutualInformation(truth, labels);
        }
        string kText = o.Algorithm == ClusterAlgorithm.Dbscan ? "DBSCAN" : $"k = {bestK}";
        log.WriteLine($"{kText}: {fit.Line}, silhouette {Fmt(sil)}{(mn > o.SilhouetteSample ? $" (sample of {o.SilhouetteSample})" : "")}, "
            + $"Davies-Bouldin {Fmt(db)}, Calinski-Harabasz {Fmt(ch)}"
            + (truthColumn is null ? "" : $"; against '{truthColumn.Name}': ARI {Fmt(summary["ari"]!.GetValue<double>())}, NMI {Fmt(summary["nmi"]!.GetValue<double>())}"));
        var baseline = ClusterBaselines.Of(mx, mn, d, ml, o, ClusterBaselines.OneClusterInertia(x, n, d));

        string outDir = openFolder();
        WriteFailure.CreateDirectory(Path.Combine(outDir, "plots"));
        var a = new StringBuilder("row,cluster\n");
        for (int i = 0; i < n; i++) a.Append(I(input.Rows[i])).Append(',').Append(I(labels[i])).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(outDir, "assignments.csv"), a.ToString());
        if (fit.Selection is { } sel)
        {
            AtomicFile.WriteAllText(Path.Combine(outDir, "k-selection.csv"), sel.Csv);
            AtomicFile.WriteAllBytes(Path.Combine(outDir, "plots", "k-selection.png"), sel.Png);
        }
        var metrics = new Dictionary<string, double> { ["silhouette"] = sil, ["davies_bouldin"] = db };
        foreach (var key in new[] { "inertia", "log_likelihood", "bic", "aic" })
            if (summary[key] is JsonValue v) metrics[key] = v.GetValue<double>();
        WriteCommon(outDir, fit.Model, ClusterPlots.Scatter(x, n, d, labels, fit.Centres, bestK, input.Columns));
        return new ClusterRunResult(outDir, summary, metrics, baseline, fit.Model, fit.History, fit.Stopped, fitSeconds);
    }

    /// <summary>The name of <paramref name="algorithm"/> in summary.json and on the command line.</summary>
    public static string AlgorithmName(ClusterAlgorithm algorithm) => algorithm switch
    {
        ClusterAlgorithm.GaussianMixture => "gmm", ClusterAlgorithm.Dbscan => "dbscan", ClusterAlgorithm.MiniBatchKMeans => "minibatch", _ => "kmeans",
    };

    /// <summary>Writes centres.csv (original units) and plots/clusters.png into <paramref name="outDir"/>.</summary>
    internal static void WriteCommon(string outDir, ClusterModel model, byte[] scatterPng)
    {
        int d = model.Columns.Length;
        var original = model.Scaling.Invert(model.Centres, d);
        var c = new StringBuilder("cluster," + string.Join(",", model.Columns.Select(Csv)) + "\n");
        for (int k = 0; k < model.K; k++)
            c.Append(I(k)).Append(',').AppendJoin(',', Enumerable.Range(0, d).Select(j => ((float)original[k * d + j]).ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(outDir, "centres.csv"), c.ToString());
        AtomicFile.WriteAllBytes(Path.Combine(outDir, "plots", "clusters.png"), scatterPng);
    }

    /// <summary>The points with a cluster (label ≥ 0) and their labels; the input itself when there is no noise.</summary>
    private static (float[] X, int N, int[] Labels) Clustered(float[] x, int n, int d, int[] labels)
    {
        int m = labels.Count(l => l >= 0);
        if (m == n) return (x, n, labels);
        var sx = new float[m * d];
        var sl = new int[m];
        for (int i = 0, t = 0; i < n; i++)
        {
            if (labels[i] < 0) continue;
            Array.Copy(x, i * d, sx, t * d, d);
            sl[t++] = labels[i];
        }
        return (sx, m, sl);
    }

    private static int[] TruthLabels(TableColumn col, int[] rows, string source)
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

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Fmt(double v) => double.IsFinite(v) ? v.ToString(Math.Abs(v) >= 1e5 ? "G6" : "0.####", CultureInfo.InvariantCulture) : "n/a";
    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
