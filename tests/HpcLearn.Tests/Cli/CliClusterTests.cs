using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn cluster</c> and <c>hpclearn predict</c> on its model folder.</summary>
public sealed class CliClusterTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    /// <summary>Writes the blobs as CSV with columns c0..c{d-1} and <c>label</c>.</summary>
    private string WriteBlobs(string name, ClusterDataSet s)
    {
        var sb = new StringBuilder(string.Join(",", Enumerable.Range(0, s.D).Select(j => $"c{j}")) + ",label\n");
        for (int i = 0; i < s.N; i++)
            sb.AppendJoin(',', Enumerable.Range(0, s.D).Select(j => s.Data[i * s.D + j].ToString("R", CultureInfo.InvariantCulture))).Append(",L").Append(s.Labels[i]).Append('\n');
        return _tmp.Write(name, sb.ToString());
    }

    private static JsonNode Summary(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!;

    [Fact]
    public void Blobs_with_labels_give_ari_one_and_every_output_file()
    {
        var data = WriteBlobs("blobs.csv", ClusterData.Blobs(300, 3, 2, 0.5, seed: 1));
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", data, "--k", "3", "--labels", "label", "--out", outDir).AssertOk();
        foreach (var f in new[] { "assignments.csv", "centres.csv", "summary.json", "plots/clusters.png", "model/model.json", "model/model.safetensors" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f + "\n" + r);
        Assert.False(File.Exists(Path.Combine(outDir, "k-selection.csv")));
        var s = Summary(outDir);
        Assert.Equal(3, s["k"]!.GetValue<int>());
        Assert.Equal(1.0, s["ari"]!.GetValue<double>(), 12);
        Assert.Equal(1.0, s["nmi"]!.GetValue<double>(), 12);
        Assert.True(s["silhouette"]!.GetValue<double>() > 0.7);
        Assert.NotNull(s["davies_bouldin"]);
        Assert.NotNull(s["calinski_harabasz"]);
        var a = File.ReadAllLines(Path.Combine(outDir, "assignments.csv"));
        Assert.Equal("row,cluster", a[0]);
        Assert.Equal(301, a.Length);
        Assert.StartsWith("1,", a[1]);
        var c = File.ReadAllLines(Path.Combine(outDir, "centres.csv"));
        Assert.Equal(["cluster,c0,c1", .. c.Skip(1).Select(_ => _)], c);
        Assert.Equal(4, c.Length);
        Assert.Contains("\"task\": \"cluster\"", File.ReadAllText(Path.Combine(outDir, "model/model.json")));
        Assert.Contains("ARI 1", r.Out);
    }

    [Fact]
    public void A_k_range_picks_the_true_k_on_well_separated_blobs()
    {
        var data = WriteBlobs("blobs4.csv", ClusterData.Blobs(400, 4, 3, 0.4, seed: 7, box: 20));
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", data, "--k", "2..6", "--labels", "label", "--out", outDir).AssertOk();
        Assert.Contains("chose k = 4: the best silhouette", r.Out);
        Assert.Equal(4, Summary(outDir)["k"]!.GetValue<int>());
        Assert.Equal(1.0, Summary(outDir)["ari"]!.GetValue<double>(), 12);
        var t = File.ReadAllLines(Path.Combine(outDir, "k-selection.csv"));
        Assert.Equal("k,inertia,silhouette,davies_bouldin", t[0]);
        Assert.Equal(6, t.Length);
        Assert.True(File.Exists(Path.Combine(outDir, "plots/k-selection.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "plots/clusters.png")));
    }

    [Fact]
    public void Predict_assigns_new_points_to_the_centre_of_their_blob()
    {
        float[] centres = [0, 0, 100, 10, 0, 50];
        var blobs = ClusterData.Blobs(300, centres, 2, 1.0, seed: 3);
        var data = WriteBlobs("train.csv", blobs);
        var outDir = _tmp["out"];
        Cli.Run("cluster", data, "--k", "3", "--standardize", "--out", outDir).AssertOk();
        // Cluster id of each true blob, from the training assignments.
        var assigned = File.ReadAllLines(Path.Combine(outDir, "assignments.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var idOf = Enumerable.Range(0, 3).Select(b => assigned[Array.IndexOf(blobs.Labels, b)]).ToArray();
        var input = _tmp.Write("new.csv", "c1,c0,extra\n0.5,-0.3,x\n9,101,y\n50.2,0.1,z\n");
        var preds = _tmp["preds.csv"];
        var r = Cli.Run("predict", Path.Combine(outDir, "model"), input, "--out", preds).AssertOk(allowStderr: true);
        Assert.Equal($"wrote 3 predictions to {preds}{Environment.NewLine}", r.Err);
        Assert.Equal(["cluster", .. idOf.Select(i => i.ToString(CultureInfo.InvariantCulture))], File.ReadAllLines(preds));
    }

    [Fact]
    public void Predict_names_a_column_the_model_needs()
    {
        var outDir = _tmp["out"];
        Cli.Run("cluster", WriteBlobs("b.csv", ClusterData.Blobs(60, 2, 2, 0.5, seed: 1)), "--k", "2", "--out", outDir).AssertOk();
        var input = _tmp.Write("new.csv", "c0\n1\n");
        Cli.Run("predict", Path.Combine(outDir, "model"), input).AssertUserError($"{input}: no column 'c1', which the model needs; it expects 'c0', 'c1'");
    }

    [Fact]
    public void Missing_file_is_a_user_error()
    {
        var path = _tmp["nope.csv"];
        Cli.Run("cluster", path, "--out", _tmp["out"]).AssertUserError($"data file '{path}' not found");
    }

    [Fact]
    public void Empty_file_is_a_user_error()
    {
        var path = _tmp.Write("empty.csv", "");
        Cli.Run("cluster", path, "--out", _tmp["out"]).AssertUserError($"{path}: the file is empty");
    }

    [Fact]
    public void K_larger_than_the_distinct_points_is_a_user_error()
    {
        var path = _tmp.Write("dup.csv", "x,y\n1,2\n1,2\n3,4\n");
        Cli.Run("cluster", path, "--k", "3", "--out", _tmp["out"]).AssertUserError("k-means: k = 3 is larger than the number of distinct points (2); lower k");
        Cli.Run("cluster", path, "--k", "2..5", "--out", _tmp["out2"]).AssertUserError("k-means: k = 5 is larger than the number of distinct points (2); lower k");
    }

    [Theory]
    [InlineData("")]
    [InlineData("NaN")]
    public void A_missing_value_names_row_and_column(string value)
    {
        var path = _tmp.Write("miss.csv", $"x,y\n1,2\n3,{value}\n5,6\n");
        Cli.Run("cluster", path, "--k", "2", "--out", _tmp["out"])
            .AssertUserError($"{path}: row 2, column 'y' has a missing value (or NaN); remove or impute it, or pass --drop-missing");
    }

    [Fact]
    public void Drop_missing_drops_the_row_and_says_so()
    {
        var path = _tmp.Write("miss.csv", "x,y\n1,2\n3,\n5,6\n7,8\n");
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", path, "--k", "2", "--drop-missing", "--out", outDir).AssertOk();
        Assert.Contains("note: dropped 1 of 4 rows with missing values (--drop-missing)", r.Out);
        var rows = File.ReadAllLines(Path.Combine(outDir, "assignments.csv")).Skip(1).Select(l => l.Split(',')[0]);
        Assert.Equal(["1", "3", "4"], rows);
    }

    [Fact]
    public void A_non_numeric_selected_column_is_a_user_error_and_unselected_ones_a_note()
    {
        var path = _tmp.Write("mixed.csv", "x,name,y\n1,a,2\n2,b,3\n8,c,9\n");
        Cli.Run("cluster", path, "--k", "2", "--columns", "x,name", "--out", _tmp["out"])
            .AssertUserError($"{path}: column 'name' is not numeric ('a' in row 1); k-means needs numbers: leave it out of --columns");
        var r = Cli.Run("cluster", path, "--k", "2", "--out", _tmp["out2"]).AssertOk();
        Assert.Contains("note: ignoring non-numeric column 'name' (select columns with --columns)", r.Out);
    }

    [Fact]
    public void Standardize_leaves_a_constant_column_at_zero_and_says_so()
    {
        var path = _tmp.Write("const.csv", "x,c\n1,5\n2,5\n10,5\n11,5\n");
        var outDir = _tmp["out"];
        var r = Cli.Run("cluster", path, "--k", "2", "--standardize", "--out", outDir).AssertOk();
        Assert.Contains("note: constant column 'c' left at 0 by --standardize (nothing to scale)", r.Out);
        var centres = File.ReadAllLines(Path.Combine(outDir, "centres.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(centres, c => Assert.Equal("5", c[2]));
        Assert.Equal(["1.5", "10.5"], centres.Select(c => c[1]).Order());
    }

    [Fact]
    public void An_existing_output_folder_is_left_untouched()
    {
        var data = WriteBlobs("b.csv", ClusterData.Blobs(60, 2, 2, 0.5, seed: 1));
        var outDir = _tmp["out"];
        _tmp.Write("out/keep.txt", "mine");
        var before = TempFolder.Snapshot(outDir);
        Cli.Run("cluster", data, "--k", "2", "--out", outDir)
            .AssertUserError($"output folder '{outDir}' already exists and is not empty; choose another --out or remove it");
        Assert.Equal(before, TempFolder.Snapshot(outDir));
    }

    [Theory]
    [InlineData("x", "--k 'x' must be a whole number like 8 or a range like 2..12")]
    [InlineData("6..2", "--k range '6..2' is empty: write the smaller k first, e.g. 2..6")]
    [InlineData("1..4", "--k range '1..4' must start at 2 or more: the silhouette that chooses k needs at least two clusters")]
    public void A_bad_k_is_a_user_error(string k, string message)
    {
        var path = _tmp.Write("a.csv", "x\n1\n2\n");
        Cli.Run("cluster", path, "--k", k, "--out", _tmp["out"]).AssertUserError(message);
    }
}
