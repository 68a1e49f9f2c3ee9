using HpcLearn.Config;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>
/// One small matrix factorisation trained on built-in synthetic ratings with a known noise floor,
/// shared by a test class: 160 users, 120 items, 8,000 ratings, rank-3 structure, 20 epochs (a few seconds).
/// </summary>
public sealed class RecommendRunFixture : IDisposable
{
    private readonly TempFolder _root = new();

    /// <summary>Trains the model.</summary>
    public RecommendRunFixture()
    {
        Config = TinyConfig("tiny");
        var log = new StringWriter();
        Run = new RecommendTask().Train(Config, new RunContext { Out = log, RunsRoot = _root.Path, TensorBoard = false });
        Log = log.ToString();
    }

    /// <summary>The config.</summary>
    public RecommendConfig Config { get; }
    /// <summary>Summary, folder, data, scores.</summary>
    public RecommendRun Run { get; }
    /// <summary>What training printed.</summary>
    public string Log { get; }
    /// <summary>The model folder.</summary>
    public string ModelDir => Run.Folder.ModelDir;
    /// <summary>A scratch folder.</summary>
    public TempFolder Root => _root;

    /// <summary>Synthetic data dense enough for a rank-3 model to reach near the noise floor.</summary>
    public static RecommendConfig TinyConfig(string name, int seed = 7) => new()
    {
        Name = name,
        Seed = seed,
        Data = new RecommendDataOptions
        {
            Synthetic = new SyntheticRatingsOptions { Users = 160, Items = 120, Ratings = 8000, Factors = 3, InteractionStd = 0.8, Noise = 0.3, Stars = false, PopularitySkew = 0.3, PopularitySigma = 0, Selection = 1.0 },
        },
        Model = new RecommendModelOptions { Factors = 8, L2 = 0.02 },
        Train = new TrainOptions { Epochs = 20, BatchSize = 64, LearningRate = 0.01, WeightDecay = 0.01 },
    };

    /// <inheritdoc />
    public void Dispose() => _root.Dispose();
}
