using HpcLearn.Config;
using HpcLearn.Evaluation;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>The neural variant trains through the same task, beats the biases baseline and loads back.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class NeuralCfTests : IDisposable
{
    private readonly TempFolder _root = new();

    [Fact]
    public void Neural_model_beats_the_biases_baseline_and_round_trips()
    {
        var config = RecommendRunFixture.TinyConfig("neural") with
        {
            Model = new RecommendModelOptions { Kind = RecommendModelKind.Neural, Factors = 16, Layers = [32], Dropout = 0 },
            Train = new TrainOptions { Epochs = 8, BatchSize = 64, LearningRate = 0.01, WeightDecay = 0.01 },
        };
        var run = new RecommendTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = _root.Path, TensorBoard = false });
        double rmse = run.Scores!.Model[MetricNames.Rmse], biases = run.Scores.Baselines[BaselineKind.Biases][MetricNames.Rmse];
        Assert.True(rmse < biases, $"neural rmse {rmse:F4} vs biases {biases:F4}");
        using var r = Recommender.Load(run.Folder.ModelDir);
        Assert.Equal(RecommendModelKind.Neural, r.State.Model.Kind);
        var summary = new RecommendTask().Evaluate(run.Folder.ModelDir, WriteTest(run), TextWriter.Null);
        Assert.Equal(rmse, summary.Metrics[MetricNames.Rmse], 4);
        Assert.Equal(3, r.SimilarTo(r.State.Items.Ids[1], 3).Items.Count);
    }

    private string WriteTest(RecommendRun run)
    {
        var d = run.Data;
        var lines = Enumerable.Range(0, d.Test.Count).Select(k =>
            $"{d.Users.Ids[d.Test.Users[k]]}\t{d.Items.Ids[d.Test.Items[k]]}\t{d.Test.Ratings[k].ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\t0");
        return _root.Write("test.tsv", string.Join("\n", lines) + "\n");
    }

    public void Dispose() => _root.Dispose();
}
