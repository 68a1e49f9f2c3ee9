using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Training;

/// <summary>
/// Tests that depend on process-wide libtorch state (the global RNG after manual_seed, the
/// thread count, the live-tensor count) run alone: xunit runs this collection after the
/// parallel ones, one test at a time.
/// </summary>
[CollectionDefinition("torch-rng", DisableParallelization = true)]
public sealed class TorchRngCollection
{
}

/// <summary>A 2 → 16 → 1 MLP over inputs[0], with optional dropout after the hidden layer.</summary>
internal sealed class TinyMlp : nn.Module<Tensor[], Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout? drop;

    public TinyMlp(double dropout = 0, int hidden = 16) : base(nameof(TinyMlp))
    {
        fc1 = nn.Linear(2, hidden);
        fc2 = nn.Linear(hidden, 1);
        if (dropout > 0) drop = nn.Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor[] inputs)
    {
        var h = nn.functional.relu(fc1.forward(inputs[0]));     // (B, H)
        if (drop is not null) h = drop.forward(h);
        return fc2.forward(h);                                  // (B, 1)
    }
}

/// <summary>
/// The tiny synthetic learner: y = 2·x1 − x2 + 0.1·noise, 256 training rows in batches of 32
/// (8 batches per epoch), 128 validation rows. The data comes from its own generator, so it is
/// the same whatever else uses libtorch's global RNG; the model's initial weights do use it.
/// </summary>
internal sealed class Tiny : IDisposable
{
    public const int Rows = 256;
    public const int BatchSize = 32;
    public const int Batches = Rows / BatchSize;

    public static readonly TrainOptions ConstantLr = new() { LearningRate = 1e-2, Schedule = ScheduleKind.Constant, WeightDecay = 0 };

    public Tiny(TrainOptions? options = null, IEnumerable<Callback>? callbacks = null, double dropout = 0,
        MetricsFunction? metrics = null)
    {
        (TrainX, TrainY) = Regression(Rows, seed: 1);
        (ValidX, ValidY) = Regression(128, seed: 2);
        Model = new TinyMlp(dropout);
        Learner = new Learner(Model,
            new TensorDataLoader([TrainX], TrainY, BatchSize, shuffle: true, seed: 7),
            new TensorDataLoader([ValidX], ValidY, 64, shuffle: false),
            Mse, options ?? ConstantLr, metrics, callbacks);
    }

    public TinyMlp Model { get; }
    public Learner Learner { get; }
    public Tensor TrainX { get; }
    public Tensor TrainY { get; }
    public Tensor ValidX { get; }
    public Tensor ValidY { get; }

    public static Tensor Mse(Tensor outputs, Tensor targets) => nn.functional.mse_loss(outputs, targets);

    /// <summary>Mean absolute error, as a metrics function.</summary>
    public static IReadOnlyDictionary<string, double> Mae(Tensor outputs, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        return new Dictionary<string, double> { ["mae"] = (outputs - targets).abs().mean().ToDouble() };
    }

    public static (Tensor X, Tensor Y) Regression(int rows, ulong seed)
    {
        using var scope = torch.NewDisposeScope();
        var g = new torch.Generator(seed);
        var x = torch.randn([rows, 2], generator: g);                                 // (N, 2)
        var noise = torch.randn([rows, 1], generator: g);                             // (N, 1)
        var y = x.narrow(1, 0, 1).mul(2).sub(x.narrow(1, 1, 1)).add(noise.mul(0.1));  // (N, 1)
        return (x.MoveToOuterDisposeScope(), y.MoveToOuterDisposeScope());
    }

    /// <summary>Every parameter's bits, by name: equal snapshots mean bitwise-equal weights.</summary>
    public static Dictionary<string, int[]> Bits(nn.Module model)
    {
        var bits = new Dictionary<string, int[]>();
        foreach (var (name, p) in model.named_parameters())
            bits[name] = p.detach().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
        return bits;
    }

    public static void AssertBitwiseEqual(Dictionary<string, int[]> expected, Dictionary<string, int[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, bits) in expected)
            Assert.True(bits.SequenceEqual(actual[name]), $"parameter {name} differs");
    }

    /// <summary>The optimiser's serialised state.</summary>
    public static byte[] OptimizerBytes(Learner learner)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
            learner.Optimizer.Save(w);
        return ms.ToArray();
    }

    public void Dispose()
    {
        Learner.Dispose();
        Model.Dispose();
        foreach (var t in new[] { TrainX, TrainY, ValidX, ValidY }) t.Dispose();
    }
}

/// <summary>A callback that stops training at the end of a given epoch.</summary>
internal sealed class StopAtEpoch(int epoch) : Callback
{
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
        => record.Epoch == epoch ? LoopAction.Stop : LoopAction.Continue;
}

/// <summary>Stops once, after <paramref name="batches"/> batches of epoch <paramref name="epoch"/> (1-based), like a deadline would.</summary>
internal sealed class StopMidEpoch(int epoch, int batches) : Callback
{
    private bool _fired;

    public override LoopAction OnBatchEnd(Learner learner, double loss)
    {
        if (_fired || learner.Epoch + 1 != epoch || learner.Progress.Batches != batches) return LoopAction.Continue;
        _fired = true;
        learner.RequestStop("test deadline");
        return LoopAction.Stop;
    }
}
