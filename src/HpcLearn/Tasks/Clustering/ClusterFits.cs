using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The three algorithms of <c>hpclearn cluster</c>, each fitted (over a k range where it has a k) and turned into a <see cref="ClusterOutcome"/>.</summary>
internal static class ClusterFits
{
    /// <summary>k-means (or mini-batch k-means) for each k, on every rank of <paramref name="comm"/>; a range is chosen by the best silhouette.</summary>
    public static ClusterOutcome KMeansFits(float[] x, int n, int d, ClusterRunOptions o, ClusterInput input, Standardizer scaling, TextWriter log, ICommunicator comm)
    {
        bool mini = o.Algorithm == ClusterAlgorithm.MiniBatchKMeans;
        var fits = new List<(KMeansResult Fit, KChoice Row)>();
        var epochsOf = new Dictionary<int, int>(); // mini-batch: epochs made for each k (a stop can end them early)
        bool stopped = false;
        for (int k = o.KMin; k <= o.KMax && !stopped; k++)
        {
            if (k > o.KMin && StopNow(o, comm)) { stopped = true; break; }
            int epochs = 0;
            var fit = mini ? MiniBatch(x, n, d, k, o, comm, out epochs) : KMeans.Fit(x, n, d, new KMeansOptions { K = k, NInit = o.NInit, Seed = o.Seed, Elkan = o.Elkan, Threads = o.Threads, Stop = o.Stop }, comm);
            fits.Add((fit, new KChoice(k, fit.Inertia, Silhouette(x, n, d, fit.Labels, o), DaviesBouldin(x, n, d, fit.Labels))));
            stopped = fit.Stopped;
            epochsOf[k] = epochs;
        }
        var best = fits[0];
        (string, byte[])? selection = null;
        int lastK = fits[^1].Row.K; // below o.KMax when stopped
        if (o.KMax > o.KMin)
        {
            log.WriteLine("   k        inertia  silhouette  davies_bouldin");
            foreach (var (_, r) in fits) log.WriteLine($"{r.K,4} {Fmt(r.Inertia),14} {Fmt(r.Silhouette),11} {Fmt(r.DaviesBouldin),15}");
            best = fits.Where(f => double.IsFinite(f.Row.Silhouette)).DefaultIfEmpty(fits[0]).MaxBy(f => f.Row.Silhouette);
            log.WriteLine($"chose k = {best.Row.K}: the best silhouette ({Fmt(best.Row.Silhouette)}) over k = {o.KMin}..{lastK}");
            var t = new StringBuilder("k,inertia,silhouette,davies_bouldin\n");
            foreach (var (_, r) in fits) t.Append($"{I(r.K)},{R(r.Inertia)},{R(r.Silhouette)},{R(r.DaviesBouldin)}\n");
            selection = (t.ToString(), ClusterPlots.KSelection(fits.Select(f => f.Row).ToList()));
        }
        var (result, row) = best;
        var summary = new JsonObject
        {
            ["k_chosen_by"] = selection is null ? "given" : $"best silhouette over k = {o.KMin}..{lastK}",
            ["inertia"] = Num(row.Inertia),
        };
        if (mini)
        {
            summary["batches"] = result.Iterations;
            summary["batch_size"] = o.BatchSize;
            summary["epochs"] = epochsOf[row.K];
        }
        else
        {
            summary["iterations"] = result.Iterations;
            summary["elkan"] = o.Elkan;
        }
        summary["n_init"] = o.NInit;
        if (comm.Size > 1) summary["ranks"] = comm.Size;
        var model = new ClusterModel(input.Columns, result.Centres, row.K, scaling, o.Standardize);
        IReadOnlyList<ClusterStep> history = mini
            ? [new ClusterStep(result.Iterations, epochsOf[row.K], new Dictionary<string, double> { ["inertia"] = result.Inertia })]
            : result.InertiaHistory.Select((v, i) => new ClusterStep(i + 1, null, new Dictionary<string, double> { ["inertia"] = v })).ToList();
        return new ClusterOutcome(row.K, result.Labels, result.Centres, summary, $"inertia {Fmt(row.Inertia)}", model, selection) { History = history, Stopped = stopped };
    }

    /// <summary>Whether the run's stop token asks to stop, the same answer on every rank (a collective call when there is a token).</summary>
    public static bool StopNow(ClusterRunOptions o, ICommunicator comm) => o.Stop is not null && PointShard.AnyRank(comm, o.Stop());

    /// <summary>Mini-batch k-means on the table in memory, then every point's nearest centre; <see cref="KMeansResult.Iterations"/> holds the batches.</summary>
    private static KMeansResult MiniBatch(float[] x, int n, int d, int k, ClusterRunOptions o, ICommunicator comm, out int epochs)
    {
        var r = MiniBatchKMeans.Fit(x, n, d, new MiniBatchKMeansOptions { K = k, BatchSize = o.BatchSize, Epochs = o.Epochs, NInit = o.NInit, Seed = o.Seed, Stop = o.Stop }, comm);
        epochs = r.Epochs;
        return new KMeansResult(r.Centres, KMeans.Predict(x, n, d, r.Centres, comm), r.Inertia, (int)r.Batches, o.NInit, []) { Stopped = r.Stopped };
    }

    /// <summary>A Gaussian mixture for each k; a range is chosen by the lowest BIC.</summary>
    public static ClusterOutcome MixtureFits(float[] x, int n, int d, ClusterRunOptions o, ClusterInput input, Standardizer scaling, TextWriter log)
    {
        var fits = new List<(GaussianMixtureResult Fit, MixtureChoice Row)>();
        bool stopped = false;
        for (int k = o.KMin; k <= o.KMax; k++)
        {
            if (k > o.KMin && o.Stop?.Invoke() == true) { stopped = true; break; } // one process: no agreement to reach
            var fit = GaussianMixture.Fit(x, n, d, new GaussianMixtureOptions { K = k, Covariance = o.Covariance, NInit = o.NInit, Seed = o.Seed });
            fits.Add((fit, new MixtureChoice(k, fit.LogLikelihood, fit.Bic, fit.Aic, o.KMax > o.KMin ? Silhouette(x, n, d, fit.Labels, o) : double.NaN)));
        }
        var best = fits[0];
        (string, byte[])? selection = null;
        if (o.KMax > o.KMin)
        {
            log.WriteLine("   k  log_likelihood             bic             aic  silhouette");
            foreach (var (_, r) in fits) log.WriteLine($"{r.K,4} {Fmt(r.LogLikelihood),15} {Fmt(r.Bic),15} {Fmt(r.Aic),15} {Fmt(r.Silhouette),11}");
            best = fits.MinBy(f => f.Row.Bic);
            log.WriteLine($"chose k = {best.Row.K}: the lowest BIC ({Fmt(best.Row.Bic)}) over k = {o.KMin}..{fits[^1].Row.K}");
            var t = new StringBuilder("k,log_likelihood,bic,aic,silhouette\n");
            foreach (var (_, r) in fits) t.Append($"{I(r.K)},{R(r.LogLikelihood)},{R(r.Bic)},{R(r.Aic)},{R(r.Silhouette)}\n");
            selection = (t.ToString(), ClusterPlots.BicSelection(fits.Select(f => f.Row).ToList()));
        }
        var (result, row) = best;
        var g = result.Model;
        var means = g.Means.Select(v => (float)v).ToArray();
        var summary = new JsonObject
        {
            ["k_chosen_by"] = selection is null ? "given" : $"lowest BIC over k = {o.KMin}..{fits[^1].Row.K}",
            ["covariance"] = o.Covariance.ToString().ToLowerInvariant(),
            ["log_likelihood"] = Num(row.LogLikelihood),
            ["bic"] = Num(row.Bic),
            ["aic"] = Num(row.Aic),
            ["weights"] = new JsonArray(g.Weights.Select(w => (JsonNode)w).ToArray()),
            ["iterations"] = result.Iterations,
            ["converged"] = result.Converged,
            ["n_init"] = o.NInit,
        };
        var model = new ClusterModel(input.Columns, means, row.K, scaling, o.Standardize) { Algorithm = ClusterAlgorithm.GaussianMixture, Mixture = g };
        var history = result.LogLikelihoodHistory.Select((v, i) => new ClusterStep(i, null, new Dictionary<string, double> { ["log_likelihood"] = v })).ToList();
        return new ClusterOutcome(row.K, result.Labels, means, summary, $"log-likelihood {Fmt(row.LogLikelihood)} per point, BIC {Fmt(row.Bic)}, AIC {Fmt(row.Aic)}", model, selection)
        {
            History = history, Stopped = stopped,
        };
    }

    /// <summary>DBSCAN once; the centres are the means of each cluster's points.</summary>
    public static ClusterOutcome DbscanFit(float[] x, int n, int d, ClusterRunOptions o, ClusterInput input, Standardizer scaling)
    {
        var r = Dbscan.Fit(x, n, d, new DbscanOptions { Eps = o.Eps, MinSamples = o.MinSamples });
        int k = r.Clusters;
        var sums = new double[k * d];
        var counts = new int[k];
        for (int i = 0; i < n; i++)
        {
            int c = r.Labels[i];
            if (c < 0) continue;
            counts[c]++;
            for (int j = 0; j < d; j++) sums[c * d + j] += x[i * d + j];
        }
        var centres = new float[k * d];
        for (int t = 0; t < centres.Length; t++) centres[t] = (float)(sums[t] / counts[t / d]);
        var coreIdx = Enumerable.Range(0, n).Where(i => r.IsCore[i]).ToArray();
        var corePoints = new float[coreIdx.Length * d];
        for (int c = 0; c < coreIdx.Length; c++) Array.Copy(x, coreIdx[c] * d, corePoints, c * d, d);
        var summary = new JsonObject
        {
            ["eps"] = o.Eps,
            ["min_samples"] = o.MinSamples,
            ["clusters"] = k,
            ["noise_points"] = r.Noise,
            ["core_points"] = coreIdx.Length,
            ["neighbour_search"] = r.Index,
        };
        var model = new ClusterModel(input.Columns, centres, k, scaling, o.Standardize)
        {
            Algorithm = ClusterAlgorithm.Dbscan, Core = (corePoints, coreIdx.Select(i => r.Labels[i]).ToArray(), o.Eps),
        };
        return new ClusterOutcome(k, r.Labels, centres, summary, $"{k} cluster{(k == 1 ? "" : "s")}, {r.Noise} noise points, {coreIdx.Length} core points ({r.Index} neighbour search)", model, null)
        {
            History = [new ClusterStep(1, null, new Dictionary<string, double> { ["clusters"] = k, ["noise_points"] = r.Noise })],
        };
    }

    /// <summary>Silhouette of the labels (sampled above the option's size); NaN unless 2 ≤ clusters ≤ n − 1.</summary>
    public static double Silhouette(float[] x, int n, int d, int[] labels, ClusterRunOptions o)
    {
        if (!Defined(labels, n)) return double.NaN;
        return n > o.SilhouetteSample
            ? ClusterMetrics.SilhouetteSampled(x, n, d, labels, o.SilhouetteSample, o.Seed)
            : ClusterMetrics.Silhouette(x, n, d, labels);
    }

    public static double DaviesBouldin(float[] x, int n, int d, int[] labels) => Defined(labels, n) ? ClusterMetrics.DaviesBouldin(x, n, d, labels) : double.NaN;

    public static double CalinskiHarabasz(float[] x, int n, int d, int[] labels) => Defined(labels, n) ? ClusterMetrics.CalinskiHarabasz(x, n, d, labels) : double.NaN;

    private static bool Defined(int[] labels, int n)
    {
        int k = labels.Distinct().Count();
        return k >= 2 && k <= n - 1;
    }

    public static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
    public static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    public static string R(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
    public static string Fmt(double v) => double.IsFinite(v) ? v.ToString(Math.Abs(v) >= 1e5 ? "G6" : "0.####", CultureInfo.InvariantCulture) : "n/a";
}
