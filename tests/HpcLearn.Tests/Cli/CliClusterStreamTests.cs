using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Cluster;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn cluster --algorithm minibatch --stream</c>: the file read in chunks, against the in-memory run on the same file.</summary>
public sealed class CliClusterStreamTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>Blobs with columns a,b,c on different scales, a text column and the true label.</summary>
    private (string Path, int[] Truth) Blobs(int n, int seed = 3)
    {
        var blobs = ClusterData.Blobs(n, 4, 3, 0.7, seed, box: 12);
        var sb = new StringBuilder("a,b,name,c,label\n");
        for (int i = 0; i < n; i++)
        {
            var v = Enumerable.Range(0, 3).Select(j => (blobs.Data[i * 3 + j] * (j == 2 ? 100 : 1) + (j == 0 ? 50 : 0)).ToString("R", CultureInfo.InvariantCulture)).ToArray();
            sb.Append($"{v[0]},{v[1]},id{i},{v[2]},L{blobs.Labels[i]}\n");
        }
        return (_tmp.Write($"blobs{n}.csv", sb.ToString()), blobs.Labels);
    }

    private static JsonNode Summary(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;

    private static double[] Stat(string dir, string key) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model/model.json")))!["details"]![key]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    private static (long Row, int Cluster)[] Assignments(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "assignments.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (long.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture))).ToArray();

    [Fact]
    public void One_chunk_as_large_as_the_file_gives_the_in_memory_minibatch_run_bit_for_bit()
    {
        var (data, _) = Blobs(3000);
        string mem = _tmp["mem"], str = _tmp["str"];
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "4", "--batch-size", "256", "--labels", "label", "--out", mem).AssertOk();
        var r = Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "4", "--batch-size", "256", "--labels", "label", "--stream", "--chunk-rows", "5000", "--out", str).AssertOk();
        Assert.Contains("note: ignoring non-numeric column 'name' (judged from the first 5000 rows; select columns with --columns)", r.Out);
        Assert.Contains("data: " + data + ": 3000 rows, 3 columns (a, b, c), streamed in chunks of 5000 rows", r.Out);
        Assert.Equal(File.ReadAllText(Path.Combine(mem, "centres.csv")), File.ReadAllText(Path.Combine(str, "centres.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(mem, "assignments.csv")), File.ReadAllText(Path.Combine(str, "assignments.csv")));
        Assert.Equal(Summary(mem)["inertia"]!.GetValue<double>(), Summary(str)["inertia"]!.GetValue<double>());
        Assert.Equal(Summary(mem)["batches"]!.GetValue<long>(), Summary(str)["batches"]!.GetValue<long>());
        // 3000 rows are under the 10,000-row sample: the metrics are over every row, as in memory.
        Assert.Equal("all 3000 rows", Summary(str)["metrics_over"]!.GetValue<string>());
        Assert.Equal(Summary(mem)["silhouette"]!.GetValue<double>(), Summary(str)["silhouette"]!.GetValue<double>(), 12);
        Assert.Equal(Summary(mem)["ari"]!.GetValue<double>(), Summary(str)["ari"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Small_chunks_with_standardize_find_the_blobs_and_predict_agrees_with_the_assignments()
    {
        var (data, truth) = Blobs(4000);
        string mem = _tmp["mem"], str = _tmp["str"];
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "4", "--standardize", "--batch-size", "128", "--out", mem).AssertOk();
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "4", "--standardize", "--batch-size", "128", "--labels", "label", "--stream", "--chunk-rows", "700", "--out", str).AssertOk();
        var s = Summary(str);
        // The streamed statistics are the in-memory Standardizer's (row-order sums versus block sums).
        foreach (var key in new[] { "mean", "scale" })
            foreach (var (a, b) in Stat(mem, key).Zip(Stat(str, key))) Assert.True(Math.Abs(a - b) <= 1e-12 * Math.Abs(a), $"{key}: {a} vs {b}");
        // Chunks of 700 shuffle differently from one chunk of 4000: the same clustering, not the same bits.
        Assert.True(s["ari"]!.GetValue<double>() >= 0.99, s.ToJsonString());
        double mi = Summary(mem)["inertia"]!.GetValue<double>(), si = s["inertia"]!.GetValue<double>();
        Assert.True(Math.Abs(si - mi) <= 0.01 * mi, $"inertia {si} vs in memory {mi}");
        Assert.Equal(700, s["stream"]!["chunk_rows"]!.GetValue<int>());
        Assert.Equal(700, s["stream"]!["largest_chunk_rows"]!.GetValue<int>());
        var rows = Assignments(str);
        Assert.Equal(Enumerable.Range(1, 4000).Select(i => (long)i), rows.Select(r => r.Row));
        Assert.True(ClusterMetrics.AdjustedRandIndex(truth, rows.Select(r => r.Cluster).ToArray()) >= 0.99);
        Assert.Equal(s["cluster_sizes"]!.AsArray().Select(v => v!.GetValue<long>()), Enumerable.Range(0, 4).Select(c => (long)rows.Count(r => r.Cluster == c)));
        var preds = _tmp["p.csv"];
        Cli.Run("predict", Path.Combine(str, "model"), data, "--out", preds).AssertOk(allowStderr: true);
        Assert.Equal(rows.Select(r => r.Cluster), File.ReadAllLines(preds).Skip(1).Select(int.Parse));
        Assert.True(File.Exists(Path.Combine(str, "plots/clusters.png")));
        Assert.Empty(Directory.GetFiles(str, ".*.tmp"));
    }

    [Fact]
    public void Above_the_sample_size_the_metrics_are_on_a_seeded_reservoir_sample()
    {
        var (data, _) = Blobs(1500);
        var o = new ClusterRunOptions { DataPath = data, Algorithm = ClusterAlgorithm.MiniBatchKMeans, KMin = 4, KMax = 4, Stream = true, ChunkRows = 200, SilhouetteSample = 300, Threads = 1 };
        var log = new StringWriter();
        var a = ClusterRun.Run(o, log, new SingleCommunicator(), () => _tmp["a"])!;
        var b = ClusterRun.Run(o, TextWriter.Null, new SingleCommunicator(), () => _tmp["b"])!;
        // summary.json is the task's; the run hands its keys back.
        File.WriteAllText(Path.Combine(_tmp["a"], "summary.json"), a.Summary.ToJsonString());
        File.WriteAllText(Path.Combine(_tmp["b"], "summary.json"), b.Summary.ToJsonString());
        var s = Summary(_tmp["a"]);
        Assert.Equal("a uniform sample of 300 of the 1500 rows, reservoir sampling with seed 42", s["metrics_over"]!.GetValue<string>());
        Assert.Contains("(on a uniform sample of 300 of the 1500 rows, reservoir sampling with seed 42)", log.ToString());
        Assert.InRange(s["silhouette"]!.GetValue<double>(), 0.5, 1.0);
        Assert.Equal(s["silhouette"]!.GetValue<double>(), Summary(_tmp["b"])["silhouette"]!.GetValue<double>());
    }

    [Fact]
    public void A_non_numeric_cell_names_file_row_and_column_and_nothing_is_written()
    {
        var data = _tmp.Write("bad.csv", "x,y\n1,2\n3,4\n5,oops\n7,8\n");
        var outDir = _tmp["out"];
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "2", "--stream", "--columns", "x,y", "--chunk-rows", "2", "--out", outDir)
            .AssertUserError($"{data}: row 3, column 'y' has 'oops', which is not a number; --stream clusters numeric columns only: fix the value or leave the column out with --columns");
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_missing_value_is_refused_or_dropped_and_counted_with_drop_missing()
    {
        var data = _tmp.Write("gap.csv", "x,y\n0,0\n0,1\n10,NaN\n10,10\n,3\n10,11\n0,0.5\n");
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "2", "--stream", "--out", _tmp["o1"])
            .AssertUserError($"{data}: row 3, column 'y' has a missing value (or NaN); remove or impute it, or pass --drop-missing");
        var r = Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "2", "--stream", "--drop-missing", "--chunk-rows", "2", "--out", _tmp["o2"]).AssertOk();
        Assert.Contains("note: dropped 2 of 7 rows with missing values (--drop-missing)", r.Out);
        Assert.Equal(2, Summary(_tmp["o2"])["stream"]!["dropped_rows"]!.GetValue<int>());
        Assert.Equal([1L, 2, 4, 6, 7], Assignments(_tmp["o2"]).Select(a => a.Row));
    }

    [Fact]
    public void Bad_invocations_are_one_line_errors()
    {
        var (data, _) = Blobs(50);
        var missing = _tmp["nope.csv"];
        Cli.Run("cluster", missing, "--algorithm", "minibatch", "--stream").AssertUserError($"data file '{missing}' not found");
        Cli.Run("cluster", data, "--stream").AssertUserError("--stream runs mini-batch k-means only, which needs one chunk of rows at a time; add --algorithm minibatch (or leave out --stream)");
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--stream", "--k", "2..4").AssertUserError("--stream fits one k (got the range 2..4); choose k on a sample of the file in memory, then stream with that --k");
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--stream", "--chunk-rows", "0").AssertUserError("--chunk-rows must be at least 1 (got 0)");
        var json = _tmp.Write("t.json", "[{\"x\": 1}]");
        Cli.Run("cluster", json, "--algorithm", "minibatch", "--stream").AssertUserError($"data file '{json}': --stream reads delimited text (.csv, .tsv, .txt), not '.json'; convert it to CSV or leave out --stream");
    }
}
