using HpcLearn.Config;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>
/// One BPR model trained on built-in synthetic interactions, shared by a test class: 300 users,
/// 200 items, 6,000 interactions kept only where a user likes the item well above their usual
/// taste (rank-3 structure), 10 epochs (a few seconds).
/// </summary>
public sealed class ImplicitRunFixture : IDisposable
{
    private readonly TempFolder _root = new();

    /// <summary>Trains the model.</summary>
    public ImplicitRunFixture()
    {
        Config = TinyConfig("implicit");
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

    /// <summary>Implicit feedback with personal taste: selection 10 above an offset of 1.</summary>
    public static RecommendConfig TinyConfig(string name, int seed = 7) => new()
    {
        Name = name,
        Seed = seed,
        Data = new RecommendDataOptions
        {
            Feedback = FeedbackKind.Implicit,
            Synthetic = new SyntheticRatingsOptions { Users = 300, Items = 200, Ratings = 6000, Factors = 3, InteractionStd = 0.6, Noise = 0.5, Stars = false, PopularitySkew = 0.5, PopularitySigma = 0, Selection = 10, SelectionOffset = 1 },
        },
        Model = new RecommendModelOptions { Factors = 8, L2 = 0.01 },
        Train = new TrainOptions { Epochs = 10, BatchSize = 64, LearningRate = 0.01, WeightDecay = 0.01 },
    };

    /// <inheritdoc />
    public void Dispose() => _root.Dispose();
}
