using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcLearn.Cli;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Tests.Cluster;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>--json</c> on <c>recommend</c>, <c>cluster</c> and <c>status</c>: parseable, no placeholder keys.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class CliJsonOutputTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static JsonElement Parse(CliResult r) => JsonDocument.Parse(r.Out).RootElement;

    private static HashSet<string> Keys(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Recommend_json_lists_the_users_top_k_with_scores_and_flags_a_cold_start()
    {
        var lines = new List<string> { "user,item,rating" };
        string[] users = ["alice", "bob", "carol", "dan"], items = ["Dune", "Emma", "Ulysses", "Beloved", "Walden"];
        for (int u = 0; u < users.Length; u++)
            for (int i = 0; i < items.Length; i++)
                if ((u + i) % 3 != 0) lines.Add($"{users[u]},{items[i]},{1 + (u * 2 + i) % 5}");
        var train = _tmp.Write("train.csv", string.Join("\n", lines) + "\n");
        var test = _tmp.Write("test.csv", "user,item,rating\nalice,Dune,4\nbob,Walden,2\n");
        var cfg = _tmp.Write("books.yaml", $$"""
            task: recommend
            name: books
            threads: 1
            data: {path: {{train}}, test_path: {{test}}, rating_min: 1, rating_max: 5}
            model: {factors: 4}
            train: {epochs: 2, batch_size: 8}
            """);
        Cli.Run("train", cfg, "--out", _tmp["runs"]).AssertOk();
        string model = Path.Combine(_tmp["runs"], "books", "model");

        var json = Parse(Cli.Run("recommend", model, "--user", "alice", "--k", "2", "--json").AssertOk());
        Assert.Equal("alice", json.GetProperty("user").GetString());
        Assert.Equal(2, json.GetProperty("k").GetInt32());
        Assert.False(json.TryGetProperty("cold_start", out _));
        Assert.False(json.TryGetProperty("similar_to", out _));
        var list = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.Equal([1, 2], list.Select(i => i.GetProperty("rank").GetInt32()));
        Assert.True(list[0].GetProperty("score").GetDouble() >= list[1].GetProperty("score").GetDouble());
        Assert.All(list, i => Assert.Equal(["item", "rank", "score"], Keys(i).Order())); // no empty title

        var cold = Parse(Cli.Run("recommend", model, "--user", "zoe", "--json").AssertOk());
        Assert.StartsWith("user 'zoe' is not in the training data", cold.GetProperty("cold_start").GetString());
    }

    [Fact]
    public void Cluster_json_gives_k_algorithm_metrics_sizes_and_output_paths_and_no_progress_lines()
    {
        var s = ClusterData.Blobs(120, 3, 2, 0.5, seed: 1);
        var sb = new StringBuilder("c0,c1\n");
        for (int i = 0; i < s.N; i++)
            sb.Append(s.Data[i * 2].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(s.Data[i * 2 + 1].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        var data = _tmp.Write("blobs.csv", sb.ToString());
        var outDir = _tmp["out"];

        var json = Parse(Cli.Run("cluster", data, "--k", "3", "--out", outDir, "--json").AssertOk());

        Assert.Equal(3, json.GetProperty("k").GetInt32());
        Assert.Equal("kmeans", json.GetProperty("algorithm").GetString());
        var metrics = json.GetProperty("metrics");
        Assert.True(metrics.GetProperty("silhouette").GetDouble() > 0.5);
        Assert.True(metrics.TryGetProperty("inertia", out _));
        Assert.False(metrics.TryGetProperty("ari", out _)); // no --labels: left out, not null
        Assert.False(metrics.TryGetProperty("bic", out _));
        Assert.Equal(120, json.GetProperty("cluster_sizes").EnumerateArray().Sum(e => e.GetInt32()));
        var outputs = json.GetProperty("outputs");
        Assert.Equal(Path.GetFullPath(outDir), outputs.GetProperty("folder").GetString());
        Assert.True(File.Exists(outputs.GetProperty("assignments").GetString()));
        Assert.True(File.Exists(Path.Combine(outputs.GetProperty("model").GetString()!, "model.json")));
        Assert.False(outputs.TryGetProperty("k_selection", out _));
        Cli.Run("cluster", data, "--submit", "--json").AssertUserErrorStartsWith("--json does not apply to --submit");
    }

    [Fact]
    public void Status_json_of_a_finished_slurm_run_has_state_progress_job_and_result()
    {
        var cfg = _tmp.Write("s.yaml", Cli.TinyYaml("s"));
        Cli.Run("train", cfg, "--out", _tmp["runs"]).AssertOk();
        var run = Path.Combine(_tmp["runs"], "s");
        File.WriteAllText(Path.Combine(run, "job.id"), "17");
        var commands = new FakeCommands().On("squeue", "")
            .On("scontrol", "JobId=17 JobName=s UserId=root(0) JobState=COMPLETED Reason=None EndTime=2026-11-27T12:10:00 Partition=debug\n");

        var json = Parse(Cli.Run(new CliHost { Environment = new Dictionary<string, string>(), Commands = commands }, "status", run, "--json").AssertOk());

        Assert.Equal("run", json.GetProperty("kind").GetString());
        Assert.Equal(run, json.GetProperty("run").GetString());
        Assert.Equal("finished", json.GetProperty("state").GetString());
        Assert.Equal("finished, 2 epochs", json.GetProperty("progress").GetString());
        Assert.StartsWith("17 COMPLETED", json.GetProperty("job").GetProperty("line").GetString());
        Assert.Equal("accuracy", json.GetProperty("result").GetProperty("metric").GetString());
        Assert.True(json.GetProperty("result").TryGetProperty("baseline", out _));
        Assert.Equal(2, json.GetProperty("last_epoch").GetProperty("epoch").GetDouble());
        Assert.False(json.TryGetProperty("failure", out _));
    }

    [Fact]
    public void Status_json_of_a_failed_run_names_the_reason_and_of_a_foreground_run_has_no_job()
    {
        var cfg = _tmp.Write("f.yaml", Cli.TinyYaml("f"));
        Cli.Run("train", cfg, "--out", _tmp["runs"]).AssertOk();
        var run = Path.Combine(_tmp["runs"], "f");
        File.Delete(Path.Combine(run, "summary.json"));
        File.WriteAllText(Path.Combine(run, "failure.json"),
            """{"attempt": 2, "outcome": "failed", "exit_code": 2, "reason": "data.csv:3: bad value", "started_utc": "2026-11-27T12:00:00Z", "ended_utc": "2026-11-27T12:01:00Z", "host": "node1"}""");

        var json = Parse(Cli.Run("status", run, "--json").AssertOk());

        Assert.Equal("failed", json.GetProperty("state").GetString());
        Assert.False(json.TryGetProperty("job", out _));
        Assert.False(json.TryGetProperty("result", out _));
        var failure = json.GetProperty("failure");
        Assert.Equal("data.csv:3: bad value", failure.GetProperty("reason").GetString());
        Assert.Equal(2, failure.GetProperty("exit_code").GetInt32());
        Assert.Equal("node1", failure.GetProperty("host").GetString());
        Assert.False(failure.TryGetProperty("job_id", out _));
    }
}
