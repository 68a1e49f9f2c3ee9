using System.Globalization;
using System.Text;
using HpcLearn.Data;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Clustering;

/// <summary>Mini-batch k-means against full k-means on blobs, in memory and streamed from a CSV in chunks, and the update rule by hand.</summary>
public sealed class MiniBatchKMeansTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Reaches_the_inertia_of_full_k_means_within_a_few_percent_in_memory_and_streamed()
    {
        var blobs = ClusterData.Blobs(20_000, k: 6, d: 4, std: 1.5, seed: 11);
        var full = KMeans.Fit(blobs.Data, blobs.N, 4, new KMeansOptions { K = 6, NInit = 3, Seed = 1, Threads = 2 });
        var o = new MiniBatchKMeansOptions { K = 6, BatchSize = 256, Epochs = 3, Seed = 2 };
        var mem = MiniBatchKMeans.Fit(blobs.Data, blobs.N, 4, o);
        Assert.InRange(mem.Inertia / full.Inertia, 0.999, 1.03);
        Assert.Equal(20_000, mem.Rows);
        Assert.Equal(1 + 3 * 79, mem.Batches); // the seeding sample, then ⌈20000 / 256⌉ = 79 per epoch

        var sb = new StringBuilder("a,b,c,d,label\n");
        for (int i = 0; i < blobs.N; i++)
            sb.AppendJoin(',', Enumerable.Range(0, 4).Select(j => blobs.Data[i * 4 + j].ToString("R", CultureInfo.InvariantCulture))).Append(",x\n");
        var csv = CsvNumericChunks.Open(_tmp.Write("blobs.csv", sb.ToString()), ["a", "b", "c", "d"], chunkRows: 3000);
        Assert.Equal(7, csv.Read().Count());
        var streamed = MiniBatchKMeans.FitStream(csv.Read, 4, o);
        Assert.InRange(streamed.Inertia / full.Inertia, 0.999, 1.03);
        Assert.Equal(20_000, streamed.Rows);
        Assert.Equal(ClusterMetrics.Inertia(blobs.Data, blobs.N, 4, streamed.Centres, KMeans.Predict(blobs.Data, blobs.N, 4, streamed.Centres)), streamed.Inertia, 3);
    }

    [Fact]
    public void Each_centre_moves_by_its_own_learning_rate()
    {
        // 1-D, k = 2, one seeding, batches holding every point, one epoch. The data (6 rows) are fewer
        // than init_size (18), so the seeding sample is the data in order, and greedy k-means++ draws
        // from Random(3) as MiniBatchKMeans does. Then two mini-batch steps: the sample, then the epoch's batch.
        float[] x = [0, 1, 2, 10, 11, 30];
        var r = MiniBatchKMeans.Fit(x, 6, 1, new MiniBatchKMeansOptions { K = 2, BatchSize = 6, Epochs = 1, NInit = 1, Seed = 3 });
        var c = KMeansPlusPlus.Choose(x, 6, 1, 2, greedy: true, new Random(3), threads: 1).Select(v => (double)v).ToArray();
        var n = new double[2];
        for (int step = 0; step < 2; step++)
        {
            // Centre j with m new points of sum S: c_j <- (n_j c_j + S) / (n_j + m), n_j <- n_j + m.
            var near = x.Select(v => Math.Abs(v - c[0]) <= Math.Abs(v - c[1]) ? 0 : 1).ToArray();
            for (int j = 0; j < 2; j++)
            {
                var mine = x.Where((_, i) => near[i] == j).ToArray();
                if (mine.Length == 0) continue;
                c[j] = (n[j] * c[j] + mine.Sum()) / (n[j] + mine.Length);
                n[j] += mine.Length;
            }
        }
        Assert.Equal(2, r.Batches);
        Assert.Equal(c[0], r.Centres[0], 4);
        Assert.Equal(c[1], r.Centres[1], 4);
        Assert.NotEqual(r.Centres[0], r.Centres[1]);
    }

    [Fact]
    public void A_bad_value_in_the_stream_names_line_and_column()
    {
        var path = _tmp.Write("bad.csv", "x,y\n1,2\n3,oops\n");
        var csv = CsvNumericChunks.Open(path);
        var e = Assert.Throws<UserError>(() => MiniBatchKMeans.FitStream(csv.Read, 2, new MiniBatchKMeansOptions { K = 1 }));
        Assert.Equal($"{path}: line 3, column 'y': 'oops' is not a finite number; remove or impute it, or leave the column out with --columns", e.Message);
        Assert.Equal($"{path}: no column 'z'; columns are: x, y", Assert.Throws<UserError>(() => CsvNumericChunks.Open(path, ["z"])).Message);
    }

    [Fact]
    public void A_stop_ends_the_fit_after_the_batch_it_comes_in_and_the_inertia_is_of_the_centres_so_far()
    {
        var blobs = ClusterData.Blobs(5000, k: 4, d: 3, std: 1.5, seed: 3);
        var o = new MiniBatchKMeansOptions { K = 4, BatchSize = 256, Epochs = 3, Seed = 2 };
        var r = MiniBatchKMeans.Fit(blobs.Data, blobs.N, 3, o with { Stop = () => true });
        Assert.True(r.Stopped);
        Assert.True(r.Batches < 3 * (5000 / 256 + 1));   // stopped at the end of the first pass (the stop is asked after each chunk), not after three epochs
        Assert.Equal(ClusterMetrics.Inertia(blobs.Data, blobs.N, 3, r.Centres, KMeans.Predict(blobs.Data, blobs.N, 3, r.Centres)), r.Inertia, 3);
        Assert.False(MiniBatchKMeans.Fit(blobs.Data, blobs.N, 3, o with { Stop = () => false }).Stopped);
    }
}
