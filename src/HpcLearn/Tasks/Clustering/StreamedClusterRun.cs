using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Cluster;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// <c>hpclearn cluster DATA.csv --algorithm minibatch --stream</c>: mini-batch k-means on a file larger
/// than memory. The file is read in chunks of <see cref="ClusterRunOptions.ChunkRows"/> rows, once to
/// check it and count rows (and, with <c>--standardize</c>, take column means and deviations), by
/// <see cref="MiniBatchKMeans.FitStream"/> once per epoch plus twice (seeding sample, final inertia),
/// and a last time to write assignments.csv, count cluster sizes (and the contingency table against
/// <c>--labels</c>), and draw a uniform sample (reservoir sampling, with the seed) on which the
/// silhouette, Davies–Bouldin and Calinski–Harabasz indices and the plot are computed. Memory holds
/// one chunk, the sample, and the centres. With a chunk at least as large as the file the fit is the
/// in-memory <c>--algorithm minibatch</c> run's, bit for bit (the same single chunk); smaller chunks
/// shuffle within each chunk and give a different (equally good) fit.
/// </summary>
internal static class StreamedClusterRun
{
    /// <summary>As <see cref="ClusterRun.Run"/>, for <see cref="ClusterRunOptions.Stream"/>.</summary>
    public static ClusterRunResult? Run(ClusterRunOptions o, TextWriter log, ICommunicator comm, Func<string> openFolder)
    {
        if (o.Algorithm != ClusterAlgorithm.MiniBatchKMeans)
            throw new UserError("--stream runs mini-batch k-means only, which needs one chunk of rows at a time; add --algorithm minibatch (or leave out --stream)");
        if (o.KMax > o.KMin)
            throw new UserError($"--stream fits one k (got the range {o.KMin}..{o.KMax}); choose k on a sample of the file in memory, then stream with that --k");
        var table = ClusterTableStream.Open(o.DataPath, o.Columns, o.LabelsColumn, o.DropMissing, o.ChunkRows);
        foreach (var note in table.Notes) log.WriteLine(note);
        int d = table.Columns.Length, k = o.KMin;
        var (n, dropped, mean, squares) = FirstPass(table);
        if (dropped > 0) log.WriteLine($"note: dropped {dropped} of {n + dropped} rows with missing values (--drop-missing)");
        if (n == 0) throw new UserError($"{o.DataPath}: no rows left to cluster after dropping rows with missing values");
        log.WriteLine($"data: {o.DataPath}: {n} rows, {d} column{(d > 1 ? "s" : "")} ({string.Join(", ", table.Columns)}), streamed in chunks of {table.ChunkRows} rows");
        if (comm.Size > 1) log.WriteLine($"{comm.Size} ranks ({comm.Name}): every rank streams the file; each assigns its part of every mini-batch and the labels are all-reduced");
        var scaling = Standardizer.None(d);
        if (o.Standardize)
        {
            scaling = Standardizer.FromMoments(mean, squares, n, out var constant);
            if (constant.Count > 0)
                log.WriteLine($"note: constant column{(constant.Count > 1 ? "s" : "")} {string.Join(", ", constant.Select(j => $"'{table.Columns[j]}'"))} left at 0 by --standardize (nothing to scale)");
        }
        int largest = 0;
        IEnumerable<float[]> Chunks()
        {
            foreach (var c in table.Read())
            {
                if (c.Count == 0) continue;
                largest = Math.Max(largest, c.Count);
                yield return o.Standardize ? scaling.Apply(c.Values, d) : c.Values;
            }
        }
        var clock = Stopwatch.StartNew();
        var fit = MiniBatchKMeans.FitStream(Chunks, d, new MiniBatchKMeansOptions { K = k, BatchSize = o.BatchSize, Epochs = o.Epochs, NInit = o.NInit, Seed = o.Seed, Stop = o.Stop }, comm);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        if (comm.Rank != 0) return null; // rank 0 alone measures and writes

        string outDir = openFolder();
        WriteFailure.CreateDirectory(Path.Combine(outDir, "plots"));
        var last = LastPass(table, scaling, o, fit.Centres, k, Path.Combine(outDir, "assignments.csv"));
        largest = Math.Max(largest, last.Largest);
        var (sx, sl, sn) = (last.Sample, last.SampleLabels, last.SampleCount);
        double sil = ClusterFits.Silhouette(sx, sn, d, sl, o), db = ClusterFits.DaviesBouldin(sx, sn, d, sl), ch = ClusterFits.CalinskiHarabasz(sx, sn, d, sl);
        string over = sn < n ? $"a uniform sample of {sn} of the {n} rows, reservoir sampling with seed {o.Seed}" : $"all {n} rows";
        var summary = new JsonObject
        {
            ["data"] = o.DataPath,
            ["rows"] = n,
            ["columns"] = new JsonArray(table.Columns.Select(c => (JsonNode)c!).ToArray()),
            ["standardize"] = o.Standardize,
            ["algorithm"] = "minibatch",
            ["k"] = k,
            ["k_chosen_by"] = "given",
            ["inertia"] = ClusterFits.Num(fit.Inertia),
            ["batches"] = fit.Batches,
            ["batch_size"] = o.BatchSize,
            ["epochs"] = fit.Epochs,
            ["n_init"] = o.NInit,
            ["stream"] = new JsonObject { ["chunk_rows"] = table.ChunkRows, ["largest_chunk_rows"] = largest, ["dropped_rows"] = dropped },
        };
        if (comm.Size > 1) summary["ranks"] = comm.Size;
        summary["silhouette"] = ClusterFits.Num(sil);
        summary["davies_bouldin"] = ClusterFits.Num(db);
        summary["calinski_harabasz"] = ClusterFits.Num(ch);
        summary["metrics_over"] = over;
        summary["cluster_sizes"] = new JsonArray(last.Sizes.Select(s => (JsonNode)s).ToArray());
        summary["seed"] = o.Seed;
        if (last.Truth is { } truth)
        {
            summary["ari"] = ClusterMetrics.AdjustedRandIndex(truth);
            summary["nmi"] = ClusterMetrics.NormalizedMutualInformation(truth);
        }
        log.WriteLine($"k = {k}: inertia {ClusterFits.Fmt(fit.Inertia)}, silhouette {ClusterFits.Fmt(sil)}, Davies-Bouldin {ClusterFits.Fmt(db)}, Calinski-Harabasz {ClusterFits.Fmt(ch)} (on {over})"
            + (last.Truth is null ? "" : $"; against '{table.LabelsColumn}' (all rows): ARI {ClusterFits.Fmt(summary["ari"]!.GetValue<double>())}, NMI {ClusterFits.Fmt(summary["nmi"]!.GetValue<double>())}"));
        var model = new ClusterModel(table.Columns, fit.Centres, k, scaling, o.Standardize);
        ClusterRun.WriteCommon(outDir, model, ClusterPlots.Scatter(sx, sn, d, sl, fit.Centres, k, table.Columns));
        // One cluster's inertia from the first pass: the sums of squared deviations, in the units clustered.
        double oneCluster = Enumerable.Range(0, d).Sum(j => squares[j] / (scaling.Scale[j] * scaling.Scale[j]));
        var baseline = ClusterBaselines.Of(sx, sn, d, sl, o, oneCluster);
        var metrics = new Dictionary<string, double> { ["silhouette"] = sil, ["davies_bouldin"] = db, ["inertia"] = fit.Inertia };
        ClusterStep[] history = [new(fit.Batches, fit.Epochs, new Dictionary<string, double> { ["inertia"] = fit.Inertia })];
        return new ClusterRunResult(outDir, summary, metrics, baseline, model, history, fit.Stopped, fitSeconds);
    }

    /// <summary>Checks every row and counts them; the column means (sums in row order) and sums of squared deviations (Welford's update, in row order).</summary>
    private static (long N, long Dropped, double[] Mean, double[] Squares) FirstPass(ClusterTableStream table)
    {
        int d = table.Columns.Length;
        var mean = new double[d];
        var sum = new double[d];
        var squares = new double[d];
        long n = 0, dropped = 0;
        foreach (var c in table.Read())
        {
            dropped += c.Dropped;
            for (int i = 0; i < c.Count; i++)
            {
                n++;
                for (int j = 0; j < d; j++)
                {
                    double x = c.Values[i * d + j], delta = x - mean[j];
                    sum[j] += x;
                    mean[j] += delta / n;
                    squares[j] += delta * (x - mean[j]);
                }
            }
        }
        for (int j = 0; j < d && n > 0; j++) mean[j] = sum[j] / n;
        return (n, dropped, mean, squares);
    }

    private sealed record Last(long[] Sizes, float[] Sample, int[] SampleLabels, int SampleCount, Contingency? Truth, int Largest);

    /// <summary>
    /// Assigns every row to its nearest centre, streaming <c>row,cluster</c> to a temporary file that
    /// replaces <paramref name="path"/> only once complete; counts cluster sizes and the contingency
    /// table against the labels; keeps a uniform sample of the (standardised) rows and their clusters.
    /// </summary>
    private static Last LastPass(ClusterTableStream table, Standardizer scaling, ClusterRunOptions o, float[] centres, int k, string path)
    {
        int d = table.Columns.Length, size = o.SilhouetteSample, largest = 0;
        var sizes = new long[k];
        var sample = new float[(long)size * d];
        var sampleLabels = new int[size];
        var truthIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var truth = new List<long[]>();
        var rng = new Random(o.Seed);
        long seen = 0;
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = WriteFailure.Guard(path, () => new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16)))
            using (var w = new StreamWriter(fs, new UTF8Encoding(false), 1 << 16))
            {
                w.Write("row,cluster\n");
                foreach (var c in table.Read())
                {
                    if (c.Count == 0) continue;
                    largest = Math.Max(largest, c.Count);
                    var x = o.Standardize ? scaling.Apply(c.Values, d) : c.Values;
                    var labels = KMeans.Predict(x, c.Count, d, centres);
                    for (int i = 0; i < c.Count; i++, seen++)
                    {
                        int l = labels[i];
                        sizes[l]++;
                        w.Write(c.Rows[i].ToString(CultureInfo.InvariantCulture));
                        w.Write(',');
                        w.Write(l.ToString(CultureInfo.InvariantCulture));
                        w.Write('\n');
                        long slot = seen < size ? seen : rng.NextInt64(seen + 1);
                        if (slot < size) { Array.Copy(x, (long)i * d, sample, slot * d, d); sampleLabels[slot] = l; }
                        if (c.Labels is { } names)
                        {
                            if (!truthIds.TryGetValue(names[i], out int t)) { truthIds[names[i]] = t = truth.Count; truth.Add(new long[k]); }
                            truth[t][l]++;
                        }
                    }
                }
                w.Flush();
                fs.Flush(flushToDisk: true);
            }
            WriteFailure.Guard(path, () => File.Move(tmp, path, overwrite: true));
        }
        catch (IOException e) when (WriteFailure.EnvironmentCause(e) is not null)
        {
            throw WriteFailure.Explain(path, e)!; // disk full while streaming rows out: name the output, not the temporary file
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        int have = (int)Math.Min(seen, size);
        Contingency? contingency = null;
        if (table.LabelsColumn is not null)
        {
            var used = Enumerable.Range(0, k).Where(c => sizes[c] > 0).ToArray(); // empty clusters are no column
            var m = new long[truth.Count, used.Length];
            for (int t = 0; t < truth.Count; t++) for (int b = 0; b < used.Length; b++) m[t, b] = truth[t][used[b]];
            contingency = new Contingency(m);
        }
        return new Last(sizes, sample[..(have * d)], sampleLabels[..have], have, contingency, largest);
    }
}
