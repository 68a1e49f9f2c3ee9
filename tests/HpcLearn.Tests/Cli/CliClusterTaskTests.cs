using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>Clustering as a task: <c>hpclearn train cluster.yaml</c>, the <c>cluster</c> short form on the same path, predict and tasks.</summary>
public sealed class CliClusterTaskTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string Blobs(string name = "blobs.csv")
    {
        var s = ClusterData.Blobs(240, 3, 2, 0.5, seed: 5);
        var sb = new StringBuilder("c0,c1,label\n");
        for (int i = 0; i < s.N; i++)
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"{s.Data[i * 2]:R},{s.Data[i * 2 + 1]:R},L{s.Labels[i]}\n"));
        return _tmp.Write(name, sb.ToString());
    }

    private string Yaml(string data, string extra = "", string model = "  k: 3\n") => _tmp.Write("cluster.yaml",
        $"task: cluster\nname: blobs\nseed: 7\ndata:\n  path: {data}\n  labels: label\n  standardize: true\nmodel:\n{model}{extra}");

    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Fact]
    public void Train_from_yaml_writes_a_run_folder_like_the_other_tasks()
    {
        string runs = _tmp["runs"], run = Path.Combine(runs, "blobs");
        var r = Cli.Run("train", Yaml(Blobs()), "--out", runs).AssertOk();

        foreach (var f in new[] { "config.yaml", "summary.json", "metrics.csv", "assignments.csv", "centres.csv", "plots/clusters.png", "model/model.json", "model/model.safetensors" })
            Assert.True(File.Exists(Path.Combine(run, f)), f + "\n" + r);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents*", SearchOption.AllDirectories));
        Assert.Contains("task: cluster", File.ReadAllText(Path.Combine(run, "config.yaml")));

        var s = Json(Path.Combine(run, "summary.json"));
        Assert.Equal("cluster", s["task"]!.GetValue<string>());
        Assert.Equal("silhouette", s["primary_metric"]!.GetValue<string>());
        Assert.Equal(3, s["k"]!.GetValue<int>());
        Assert.Equal(1.0, s["ari"]!.GetValue<double>(), 12);
        // The baselines: a random assignment's silhouette (about 0) and one cluster's inertia (the total sum of squares: 2 columns × 240 rows after standardising).
        Assert.InRange(s["baseline"]!["silhouette"]!.GetValue<double>(), -0.1, 0.1);
        Assert.Equal(480, s["baseline"]!["inertia"]!.GetValue<double>(), 3);
        Assert.True(s["beats_baseline"]!.GetValue<bool>());
        Assert.True(s["silhouette"]!.GetValue<double>() > 0.7);
        Assert.True(s["inertia"]!.GetValue<double>() < 480);

        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Equal("step,epoch,inertia", metrics[0]);
        Assert.StartsWith("1,,", metrics[1]);
        var inertia = metrics.Skip(1).Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(inertia.OrderDescending(), inertia); // Lloyd never raises the inertia

        var model = Json(Path.Combine(run, "model", "model.json"));
        Assert.Equal("cluster", model["task"]!.GetValue<string>());
        Assert.Equal(7, model["provenance"]!["seed"]!.GetValue<int>());
        Assert.Contains("task: cluster", model["provenance"]!["config"]!.GetValue<string>());
        Assert.True(model["baseline"]!["silhouette"] is not null);
        Assert.Contains($"wrote {run} (", r.Out);
    }

    [Fact]
    public void The_short_form_gives_the_centres_and_model_of_the_yaml_form()
    {
        string data = Blobs();
        string runs = _tmp["runs"], shortForm = _tmp["short"];
        Cli.Run("train", Yaml(data, model: "  algorithm: minibatch\n  k: 2..4\n  batch_size: 50\n  n_init: 2\n"), "--out", runs).AssertOk();
        Cli.Run("cluster", data, "--algorithm", "minibatch", "--k", "2..4", "--batch-size", "50", "--n-init", "2", "--seed", "7",
            "--labels", "label", "--standardize", "--out", shortForm).AssertOk();

        string run = Path.Combine(runs, "blobs");
        foreach (var f in new[] { "centres.csv", "assignments.csv", "k-selection.csv", "model/model.safetensors" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(run, f)), File.ReadAllBytes(Path.Combine(shortForm, f)));
        // The short form's folder holds the config it ran, which 'train' takes as it is.
        Assert.Contains("algorithm: minibatch", File.ReadAllText(Path.Combine(shortForm, "config.yaml")));
        Cli.Run("train", Path.Combine(shortForm, "config.yaml"), "--out", _tmp["again"]).AssertOk();
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "centres.csv")), File.ReadAllBytes(Path.Combine(_tmp["again"], "short", "centres.csv")));
    }

    [Fact]
    public void Predict_and_evaluate_go_through_the_task()
    {
        string runs = _tmp["runs"], data = Blobs();
        Cli.Run("train", Yaml(data), "--out", runs).AssertOk();
        string model = Path.Combine(runs, "blobs", "model");
        var r = Cli.Run("predict", model, data).AssertOk();
        var predicted = r.Out.Replace("\r", "").TrimEnd('\n').Split('\n');
        var assigned = File.ReadAllLines(Path.Combine(runs, "blobs", "assignments.csv")).Skip(1).Select(l => l.Split(',')[1]);
        Assert.Equal(["cluster", .. assigned], predicted);

        var e = Cli.Run("evaluate", model, data, "--json").AssertOk();
        var json = JsonNode.Parse(e.Out)!;
        Assert.True(json.ToJsonString().Contains("silhouette", StringComparison.Ordinal), e.Out);
    }

    [Theory]
    [InlineData("  kk: 3\n", "'model.kk'")]
    [InlineData("  k: 3\ntrain:\n  lr: 0.1\n", "'train.lr' is not read by the cluster task")]
    [InlineData("  k: 1..4\n", "'model.k' range '1..4' must start at 2 or more")]
    [InlineData("  algorithm: dbscan\n  k: 3\n", "'model.k' is not read by dbscan")]
    [InlineData("  algorithm: kmedoids\n", "'model.algorithm'")]
    public void A_bad_key_or_value_in_cluster_yaml_exits_2_naming_it(string model, string named)
    {
        var cfg = Yaml(Blobs(), model: model);
        var r = Cli.Run("train", cfg, "--out", _tmp["runs"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Err);
        Assert.Single(r.Err.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(Path.Combine(_tmp["runs"], "blobs")));
    }

    [Fact]
    public void Tasks_lists_cluster_with_its_keys()
    {
        var r = Cli.Run("tasks", "cluster").AssertOk();
        Assert.StartsWith("# cluster: ", r.Out);
        foreach (var key in new[] { "task: cluster", "path:", "labels:", "standardize:", "algorithm: kmeans", "k: 8", "covariance: full", "eps: 0.5", "chunk_rows: 65536" })
            Assert.Contains(key, r.Out);
    }
}
