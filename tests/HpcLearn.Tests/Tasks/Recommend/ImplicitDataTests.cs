using CliRunner = HpcLearn.Tests.Cli.Cli;
using HpcLearn.Config;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>
/// Implicit feedback from files: interactions without ratings, ratings ignored or thresholded, a
/// user with every item, config mistakes; and a run stopped mid-epoch resumes to the same model.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class ImplicitDataTests : IDisposable
{
    private readonly TempFolder _dir = new();

    private string Config(string name, string data, string extra = "") => _dir.Write($"{name}.yaml", $"""
        task: recommend
        name: {name}
        threads: 1
        data:
          path: {data}
          feedback: implicit
          split: leave_last_out
        {extra}
        model: {"{"}factors: 4{"}"}
        train: {"{"}epochs: 1, batch_size: 8{"}"}
        """);

    // Users u0..u3 interact with items i0..i5 where (u + i) % 3 != 0; "all" has every item.
    private string Clicks(bool withRatings, bool everyItem = true, bool header = true)
    {
        var lines = new List<string>();
        if (header) lines.Add(withRatings ? "user,item,rating,timestamp" : "user,item,timestamp");
        int t = 0;
        for (int u = 0; u < 4; u++)
            for (int i = 0; i < 6; i++)
                if ((u + i) % 3 != 0) lines.Add(withRatings ? $"u{u},i{i},{1 + (u + i) % 5},{t++}" : $"u{u},i{i},{t++}");
        if (everyItem)
            for (int i = 0; i < 6; i++) lines.Add(withRatings ? $"all,i{i},5,{t++}" : $"all,i{i},{t++}");
        return _dir.Write($"clicks-{withRatings}-{everyItem}-{header}.csv", string.Join("\n", lines) + "\n");
    }

    [Fact]
    public void A_headerless_file_of_three_columns_is_user_item_timestamp()
    {
        var log = RatingsFile.Load(Clicks(withRatings: false, header: false), new RatingsLayout(), requireRatings: false, interactions: true);
        Assert.True(log.HasTimestamps);
        Assert.False(log.HasRatings);
        Assert.Equal(new long[] { 0, 1, 2 }, log.Rows.Take(3).Select(r => r.Timestamp));
        Assert.All(log.Rows, r => Assert.Equal(1f, r.Value));
    }

    [Fact]
    public void A_rating_column_is_ignored_without_a_threshold_and_thresholds_with_one()
    {
        var file = Clicks(withRatings: true, everyItem: false);
        var ignored = CliRunner.Run("train", Config("ignored", file), "--out", _dir["runs"]).AssertOk();
        Assert.Contains($"implicit feedback: the rating column of {file} is ignored and every line is an interaction", ignored.Out);
        Assert.Contains("training: 11 interactions (implicit feedback)", ignored.Out);     // 16 lines, 4 held out as test, 1 of the 12 others set aside for validation
        Assert.Contains("validation: 1 interaction set aside from the training file", ignored.Out);
        var kept = CliRunner.Run("train", Config("kept", file, "  positive_from: 4"), "--out", _dir["runs"]).AssertOk();
        Assert.Contains($"implicit feedback: 5 ratings >= 4 of {file} are interactions; 11 lower ratings dropped", kept.Out);
        CliRunner.Run("train", Config("none", file, "  positive_from: 6"), "--out", _dir["runs"])
            .AssertUserError($"{file}: no rating is >= data.positive_from (6), so there are no interactions; lower data.positive_from");
    }

    [Fact]
    public void A_user_with_every_item_is_left_out_of_training_with_a_warning()
    {
        var r = CliRunner.Run("train", Config("full", Clicks(withRatings: false)), "--out", _dir["runs"]).AssertOk();
        Assert.Contains("warning: 1 user has interacted with every item: with no negative to sample, their 5 interactions are left out of BPR training", r.Out);
        // leave_last_out holds out z, so both users have every one of the two training items.
        var only = _dir.Write("only.csv", "user,item,timestamp\na,x,1\na,y,2\na,z,3\nb,x,1\nb,y,2\nb,z,3\n");
        CliRunner.Run("train", Config("only", only), "--out", _dir["runs"])
            .AssertUserError($"{only}: every user has interacted with every one of the 2 items, so BPR has no negative item to sample; implicit feedback needs items a user has not interacted with");
        Assert.False(Directory.Exists(Path.Combine(_dir["runs"], "only")));
    }

    [Fact]
    public void Config_mistakes_name_the_key()
    {
        var file = Clicks(withRatings: false);
        var neural = CliRunner.Run("train", Edit(Config("neural", file), "{factors: 4}", "{kind: neural}"), "--out", _dir["runs"]);
        Assert.Equal(2, neural.ExitCode);
        Assert.Contains("'model.kind' must be dot with data.feedback: implicit (BPR trains the dot-product factorisation); remove model.kind or set it to dot", neural.Err);
        var explicitThreshold = CliRunner.Run("train", Edit(Config("threshold", file), "feedback: implicit", "positive_from: 4"), "--out", _dir["runs"]);
        Assert.Equal(2, explicitThreshold.ExitCode);
        Assert.Contains("'data.positive_from' only applies to feedback: implicit; remove it, or set data.feedback: implicit", explicitThreshold.Err);
    }

    private static string Edit(string path, string from, string to)
    {
        File.WriteAllText(path, File.ReadAllText(path).Replace(from, to));
        return path;
    }

    [Fact]
    public void A_run_stopped_mid_epoch_resumes_to_the_same_model_as_an_uninterrupted_run()
    {
        var config = ImplicitRunFixture.TinyConfig("whole") with { Train = new TrainOptions { Epochs = 3, BatchSize = 256, LearningRate = 0.01 } };
        var whole = new RecommendTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = _dir.Path, TensorBoard = false });
        var again = new RecommendTask().Train(config with { Name = "again" }, new RunContext { Out = TextWriter.Null, RunsRoot = _dir.Path, TensorBoard = false });
        Assert.Equal(whole.Scores!.Model, again.Scores!.Model);                      // reproducible from the seed

        var split = config with { Name = "split" };
        var stopped = new RecommendTask { Callbacks = [new InterruptMidEpoch(2, 5)] }.Train(split, new RunContext { Out = TextWriter.Null, RunsRoot = _dir.Path, TensorBoard = false });
        Assert.True(stopped.Summary.Interrupted);
        var resumed = new RecommendTask().Train(split, new RunContext { Out = TextWriter.Null, RunsRoot = _dir.Path, TensorBoard = false, Resume = true });
        Assert.Equal(whole.Scores.Model, resumed.Scores!.Model);                     // same negatives after the resume
    }

    /// <summary>Stops once after <paramref name="batches"/> batches of epoch <paramref name="epoch"/> (1-based), as a deadline would.</summary>
    private sealed class InterruptMidEpoch(int epoch, int batches) : Callback
    {
        private bool _fired;

        public override LoopAction OnBatchEnd(Learner learner, double loss)
        {
            if (_fired || learner.Epoch + 1 != epoch || learner.Progress.Batches != batches) return LoopAction.Continue;
            _fired = true;
            learner.Interrupted = true;
            learner.RequestStop("test deadline");
            return LoopAction.Stop;
        }
    }

    public void Dispose() => _dir.Dispose();
}
