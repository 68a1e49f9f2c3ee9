using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>Golden metrics: a fixed seed gives the same run, bit for bit.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TabularGoldenTests
{
    private static (RunSummary Summary, byte[] Weights) Train(string builtin, int seed)
    {
        using var tmp = new TempFolder();
        var run = new TabularTask().Train(TabularRunFixture.TinyConfig("golden", builtin, seed),
            new RunContext { Out = TextWriter.Null, RunsRoot = tmp.Path, TensorBoard = false });
        return (run.Summary, File.ReadAllBytes(Path.Combine(run.Folder.ModelDir, "model.safetensors")));
    }

    private static T OneThread<T>(Func<T> body)
    {
        int before = torch.get_num_threads();
        TorchRuntime.SetThreads(1);
        try { return body(); }
        finally { TorchRuntime.SetThreads(before); }
    }

    [Theory]
    [InlineData("churn")]
    [InlineData("spend")]
    public void Same_seed_gives_identical_metrics_and_weights(string builtin)
    {
        var (a, b) = OneThread(() => (Train(builtin, 7), Train(builtin, 7)));
        Assert.Equal(a.Summary.Metrics, b.Summary.Metrics);
        Assert.Equal(a.Summary.Baseline, b.Summary.Baseline);
        Assert.Equal(a.Weights, b.Weights);
    }

    [Fact]
    public void Another_seed_gives_other_weights()
    {
        var (a, b) = OneThread(() => (Train("churn", 7), Train("churn", 8)));
        Assert.NotEqual(a.Weights, b.Weights);
        Assert.NotEqual(a.Summary.Metrics["log_loss"], b.Summary.Metrics["log_loss"]);
    }
}
