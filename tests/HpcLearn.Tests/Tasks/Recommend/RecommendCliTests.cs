using CliRunner = HpcLearn.Tests.Cli.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Tests.Cli;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>train, predict and recommend through the command line, on files with string ids and titles.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class RecommendCliTests : IDisposable
{
    private readonly TempFolder _dir = new();

    private string Config(string name, string train, string test, string extra = "") => _dir.Write($"{name}.yaml", $"""
        task: recommend
        name: {name}
        threads: 1
        data:
          path: {train}
          test_path: {test}
          rating_min: 1
          rating_max: 5
          titles: {"{"}path: {_dir["titles.csv"]}{"}"}
        {extra}
        model: {"{"}factors: 4{"}"}
        train: {"{"}epochs: 2, batch_size: 8{"}"}
        """);

    private void WriteData()
    {
        var lines = new List<string> { "user,item,rating,timestamp" };
        string[] users = ["alice", "bob", "carol", "dan"], items = ["Dune", "Emma", "Ulysses", "Beloved", "Walden"];
        for (int u = 0; u < users.Length; u++)
            for (int i = 0; i < items.Length; i++)
                if ((u + i) % 3 != 0) lines.Add($"{users[u]},{items[i]},{1 + (u * 2 + i) % 5},{u * 10 + i}");
        _dir.Write("train.csv", string.Join("\n", lines) + "\n");
        _dir.Write("test.csv", "user,item,rating,timestamp\nalice,Dune,4,100\nbob,Walden,2,101\nzoe,Emma,5,102\n");
        _dir.Write("titles.csv", "item,title\nDune,\"Dune, by Frank Herbert\"\nEmma,Emma\n");
    }

    [Fact]
    public void Train_predict_and_recommend_with_string_ids_titles_and_a_cold_user()
    {
        WriteData();
        var cfg = Config("books", _dir["train.csv"], _dir["test.csv"]);
        var train = CliRunner.Run("train", cfg, "--out", _dir["runs"]).AssertOk();
        Assert.Contains("cold-start pairs (user unseen in training: 1, item unseen: 0)", train.Out);
        Assert.Contains("user+item biases", train.Out);
        string model = Path.Combine(_dir["runs"], "books", "model");

        var pairs = _dir.Write("pairs.csv", "user,item\nalice,Dune\nzoe,Emma\n");
        var predict = CliRunner.Run("predict", model, pairs).AssertOk();
        var lines = predict.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("user,item,prediction,cold_start,title", lines[0]);
        Assert.StartsWith("alice,Dune,", lines[1]);
        Assert.EndsWith(",,\"Dune, by Frank Herbert\"", lines[1]);
        Assert.EndsWith(",user,Emma", lines[2]);

        var rec = CliRunner.Run("recommend", model, "--user", "alice", "--k", "2").AssertOk();
        Assert.Contains("top 2 for user 'alice':", rec.Out);
        var cold = CliRunner.Run("recommend", model, "--user", "zoe").AssertOk();
        Assert.StartsWith("note: user 'zoe' is not in the training data (cold start)", cold.Out);
        var similar = CliRunner.Run("recommend", model, "--similar-to", "Dune", "--k", "3").AssertOk();
        Assert.Contains("3 items most similar to 'Dune' (Dune, by Frank Herbert):", similar.Out);
        CliRunner.Run("recommend", model).AssertUserError("give exactly one of --user USER or --similar-to ITEM");
    }

    [Fact]
    public void Bad_ratings_stop_training_with_one_line_and_no_run_folder()
    {
        WriteData();
        var bad = _dir.Write("bad.csv", "user,item,rating\nalice,Dune,4\nbob,Emma,9\n");
        var r = CliRunner.Run("train", Config("bad", bad, _dir["test.csv"]), "--out", _dir["runs"]);
        r.AssertUserError($"{bad}:3: rating 9 is outside the declared range [1, 5]; fix the line or change data.rating_min / data.rating_max");
        Assert.False(Directory.Exists(Path.Combine(_dir["runs"], "bad")));
        var empty = _dir.Write("empty.csv", "");
        CliRunner.Run("train", Config("empty", empty, _dir["test.csv"]), "--out", _dir["runs"])
            .AssertUserError($"{empty}: the file is empty; it needs one rating per line (user, item, rating[, timestamp])");
    }

    public void Dispose() => _dir.Dispose();
}
