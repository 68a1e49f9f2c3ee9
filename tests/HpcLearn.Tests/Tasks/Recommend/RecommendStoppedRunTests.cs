using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Runs;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>A recommender's run stopped mid-fit leaves a model that scores (user, item) pairs.</summary>
[Collection("torch-rng")]
public sealed class RecommendStoppedRunTests
{
    [Fact]
    public void A_stopped_run_leaves_a_model_that_predicts()
    {
        using var tmp = new TempFolder();
        var task = new RecommendTask();
        var (ctx, cancel) = StoppedRun.AfterBatches(tmp.Path, 5);
        var run = new RecommendTask { Callbacks = cancel }.Train(RecommendRunFixture.TinyConfig("stopped"), ctx);

        Assert.True(run.Summary.Interrupted);
        Assert.Null(run.Scores);
        StoppedRun.AssertUsableModel(run.Summary.RunDir, RecommendTask.Name, Learner.CancelledReason);
        string pairs = tmp.Write("pairs.csv", $"user,item\n{run.Data.Users.Ids[0]},{run.Data.Items.Ids[1]}\n{run.Data.Users.Ids[2]},{run.Data.Items.Ids[0]}\n");
        var output = new StringWriter();
        Assert.Equal(2, task.Predict(Path.Combine(run.Summary.RunDir, "model"), pairs, output));
    }
}
