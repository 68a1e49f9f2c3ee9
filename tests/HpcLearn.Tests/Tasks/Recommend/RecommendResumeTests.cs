using HpcLearn.Config;
using HpcLearn.Evaluation;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>A recommend run resumes from its checkpoint like any Learner run.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class RecommendResumeTests : IDisposable
{
    private readonly TempFolder _root = new();

    [Fact]
    public void Resuming_a_finished_run_restores_the_checkpointed_weights()
    {
        var config = RecommendRunFixture.TinyConfig("resume") with { Train = new TrainOptions { Epochs = 2, BatchSize = 128, LearningRate = 0.01 } };
        var first = new RecommendTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = _root.Path, TensorBoard = false });
        var log = new StringWriter();
        var again = new RecommendTask().Train(config, new RunContext { Out = log, RunsRoot = _root.Path, TensorBoard = false, Resume = true });
        Assert.Contains("resuming from", log.ToString());
        // Without the checkpoint's weights the resumed run (no epochs left to train) would score the fresh initialisation.
        Assert.Equal(first.Scores!.Model[MetricNames.Rmse], again.Scores!.Model[MetricNames.Rmse], 6);
        Assert.Equal(2, again.Summary.Epochs);
    }

    public void Dispose() => _root.Dispose();
}
