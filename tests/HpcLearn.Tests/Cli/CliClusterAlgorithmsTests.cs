using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn cluster --algorithm gmm|dbscan</c> and <c>hpclearn predict</c> on their model folders.</summary>
public sealed class CliClusterAlgorithmsTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Write(string name, float[] x, int n, int d, int[]? labels = null)
    {
        var sb = new StringBuilder(string.Join(",", Enumerable.Range(0, d).Select(j => $"c{j}")) + (labels is null ? "" : ",label") + "\n");
        for (int i = 0; i < n; i++)
        {
            sb.AppendJoin(',', Enumerable.Range(0, d).Select(j => x[i * d + j].ToString("R", CultureInfo.InvariantCulture)));
            if (labels is not null) sb.Append(",L").Append(labels[i]);
            sb.Append('\n');
        }
        return _tmp.Write(name, sb.ToString());
    }

    private static JsonNode Summary(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;

    private static int[] Column(string csv, int col) =>
        File.ReadAllLines(csv).Skip(1).Select(l => int.Parse(l.Split(',')[col], CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Gmm_k_range_chooses_the_lowest_bic_and_predict_matches_the_training_assignments()
    {
        var blobs = ClusterData.Blobs(400, 3, 2, 0.6, seed: 5, box: 15);
        var data = Write("g.csv", blobs.Data, blobs.N, 2, blobs.Labels);
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", data, "--algorithm", "gmm", "--covariance", "diag", "--k", "2..5", "--labels", "label", "--out", outDir).AssertOk();
        Assert.Contains("chose k = 3: the lowest BIC", r.Out);
        var s = Summary(outDir);
        Assert.Equal("gmm", s["algorithm"]!.GetValue<string>());
        Assert.Equal(3, s["k"]!.GetValue<int>());
        Assert.Equal(1.0, s["ari"]!.GetValue<double>(), 12);
        Assert.NotNull(s["bic"]);
        var table = File.ReadAllLines(Path.Combine(outDir, "k-selection.csv"));
        Assert.Equal("k,log_likelihood,bic,aic,silhouette", table[0]);
        var bics = table.Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(bics.Min(), s["bic"]!.GetValue<double>(), 9);
        Assert.True(File.Exists(Path.Combine(outDir, "plots/k-selection.png")));
        // Predict on the training rows gives the training assignments (most likely component).
        var preds = _tmp["p.csv"];
        Cli.Run("predict", Path.Combine(outDir, "model"), data, "--out", preds).AssertOk(allowStderr: true);
        Assert.Equal(Column(Path.Combine(outDir, "assignments.csv"), 1), File.ReadAllLines(preds).Skip(1).Select(int.Parse).ToArray());
        Assert.Contains("\"algorithm\": \"gaussian-mixture\"", File.ReadAllText(Path.Combine(outDir, "model/model.json")));
    }

    [Fact]
    public void Dbscan_finds_the_moons_marks_noise_and_predict_uses_the_nearest_core_point()
    {
        var moons = ClusterData.Moons(600, noise: 0.05, seed: 2);
        var x = moons.Data.Concat(new[] { 5f, 5f, -4f, 3f }).ToArray();      // two far outliers: noise
        var y = moons.Labels.Concat(new[] { 2, 2 }).ToArray();          // both noise: one "cluster" for ARI
        var data = Write("m.csv", x, 602, 2, y);
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", data, "--algorithm", "dbscan", "--eps", "0.2", "--min-samples", "5", "--labels", "label", "--out", outDir).AssertOk();
        Assert.Contains("DBSCAN: 2 clusters, 2 noise points", r.Out);
        var s = Summary(outDir);
        Assert.Equal(2, s["clusters"]!.GetValue<int>());
        Assert.Equal(2, s["noise_points"]!.GetValue<int>());
        Assert.Equal("the 600 clustered points (noise left out)", s["metrics_over"]!.GetValue<string>());
        Assert.Equal(1.0, s["ari"]!.GetValue<double>(), 12);
        var assigned = Column(Path.Combine(outDir, "assignments.csv"), 1);
        Assert.Equal([-1, -1], assigned[^2..]);
        var input = _tmp.Write("new.csv", "c0,c1\n0,1\n1,-0.5\n5,5\n");
        var preds = _tmp["p.csv"];
        Cli.Run("predict", Path.Combine(outDir, "model"), input, "--out", preds).AssertOk(allowStderr: true);
        Assert.Equal(["cluster", assigned[Array.IndexOf(moons.Labels, 0)].ToString(CultureInfo.InvariantCulture), assigned[Array.IndexOf(moons.Labels, 1)].ToString(CultureInfo.InvariantCulture), "-1"], File.ReadAllLines(preds));
    }

    [Fact]
    public void Minibatch_finds_the_blobs_and_its_model_predicts_the_training_assignments()
    {
        var blobs = ClusterData.Blobs(3000, 4, 2, 0.5, seed: 8, box: 15);
        var data = Write("mb.csv", blobs.Data, blobs.N, 2, blobs.Labels);
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "4", "--batch-size", "256", "--epochs", "3", "--labels", "label", "--out", outDir).AssertOk();
        var s = Summary(outDir);
        Assert.Equal("minibatch", s["algorithm"]!.GetValue<string>());
        Assert.Equal(1 + 3 * 12, s["batches"]!.GetValue<int>()); // the seeding sample, then ⌈3000 / 256⌉ = 12 per epoch
        Assert.Equal(256, s["batch_size"]!.GetValue<int>());
        Assert.True(s["ari"]!.GetValue<double>() > 0.99, r.Out);
        // The inertia is that of the written assignments to the written centres.
        var assigned = Column(Path.Combine(outDir, "assignments.csv"), 1);
        var centres = File.ReadAllLines(Path.Combine(outDir, "centres.csv")).Skip(1).SelectMany(l => l.Split(',').Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(ClusterMetrics.Inertia(blobs.Data, blobs.N, 2, centres, assigned), s["inertia"]!.GetValue<double>(), 6);
        string preds = _tmp["p.csv"];
        Cli.Run("predict", Path.Combine(outDir, "model"), data, "--out", preds).AssertOk(allowStderr: true);
        Assert.Equal(assigned, Column(preds, 0));
    }

    [Theory]
    [InlineData(new[] { "--algorithm", "dbscan", "--k", "3" }, "--k does not apply to dbscan, which finds the number of clusters itself; set --eps and --min-samples instead")]
    [InlineData(new[] { "--algorithm", "spectral" }, "--algorithm 'spectral' is not one of kmeans, minibatch, gmm, dbscan")]
    [InlineData(new[] { "--algorithm", "gmm", "--covariance", "tied" }, "--covariance 'tied' is not one of full, diag, spherical")]
    [InlineData(new[] { "--algorithm", "dbscan", "--eps", "-1" }, "DBSCAN: eps must be a finite number > 0 (got -1)")]
    [InlineData(new[] { "--algorithm", "gmm", "--k", "4" }, "Gaussian mixture: k = 4 is larger than the number of distinct points (3); lower k")]
    [InlineData(new[] { "--algorithm", "minibatch", "--k", "4" }, "k-means: k = 4 is larger than the number of distinct points (3); lower k")]
    [InlineData(new[] { "--algorithm", "minibatch", "--batch-size", "0" }, "--batch-size must be at least 1 (got 0)")]
    [InlineData(new[] { "--algorithm", "minibatch", "--epochs", "0" }, "--epochs must be at least 1 (got 0)")]
    public void Bad_options_are_user_errors(string[] args, string message)
    {
        var path = _tmp.Write("a.csv", "x,y\n1,2\n2,3\n8,9\n");
        Cli.Run(["cluster", path, "--out", _tmp["out"], .. args]).AssertUserError(message);
    }
}
