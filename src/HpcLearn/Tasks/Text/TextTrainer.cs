using HpcLearn.Cluster;
using HpcLearn.Runs;
using HpcLearn.Training;
using HpcLearn.Training.Distributed;
using HpcLearn.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using Adam = HpcLearn.Training.Optimizers.Adam;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The language model's training loop, by steps: each step draws random blocks (fixed by
/// (seed, step)), takes one AdamW step at the warm-up/cosine rate with the gradient norm
/// clipped, and every <c>steps.eval_every</c> steps measures the validation loss on fixed blocks.
/// Not the <see cref="Learner"/>: that loop is epochs over a fixed tensor data set with its
/// evaluation at epoch ends and one-cycle or constant rates, where a language model wants steps
/// over random windows, a warm-up/cosine rate and evaluation every N steps.
/// Weight decay applies to the matrices (embeddings, linear weights) only, not to biases and
/// layer norms, as in GPT-2. Under data parallelism each rank trains on its slice of the global
/// batch (ranks × <c>train.batch_size</c> blocks), the gradients are averaged over the ranks before
/// clipping, and the validation batches are split over the ranks.
/// </summary>
public sealed class TextTrainer : IDisposable
{
    private readonly Optimizer[] _optimizers;
    private readonly WarmupCosineSchedule _schedule;
    private readonly ICommunicator _comm;
    private readonly GradientAllReduceCallback? _reduce;
    private readonly List<Parameter> _parameters;
    private double _lossSum;
    private int _lossCount;

    /// <summary>Creates the optimisers for <paramref name="model"/> (the caller keeps the model).</summary>
    /// <param name="model">The transformer.</param>
    /// <param name="data">The tokenised splits.</param>
    /// <param name="config">The run's config.</param>
    /// <param name="communicator">The data-parallel ranks (null: one process).</param>
    public TextTrainer(TextTransformer model, TextData data, TextConfig config, ICommunicator? communicator = null)
    {
        _comm = communicator ?? new SingleCommunicator();
        _reduce = _comm.Size > 1 ? new GradientAllReduceCallback(_comm) : null;
        _parameters = model.parameters().ToList();
        Model = model;
        Data = data;
        Config = config;
        var matrices = model.parameters().Where(p => p.dim() >= 2).ToList();
        var others = model.parameters().Where(p => p.dim() < 2).ToList();
        _optimizers = [Create(matrices, config.Train.WeightDecay), Create(others, 0)];
        GlobalBatch = config.Train.BatchSize * _comm.Size;
        _schedule = new WarmupCosineSchedule(config.Train.LearningRate, config.Steps.Warmup, config.Steps.Total, config.Steps.MinLrRatio);
    }

    /// <summary>The model.</summary>
    public TextTransformer Model { get; }
    /// <summary>The data.</summary>
    public TextData Data { get; }
    /// <summary>The config.</summary>
    public TextConfig Config { get; }
    /// <summary>
    /// Blocks per step over all ranks: <c>train.batch_size</c> × ranks, or a resumed checkpoint's
    /// (kept when the run resumes on another number of ranks).
    /// </summary>
    public int GlobalBatch { get; internal set; }
    /// <summary>The number of data-parallel ranks.</summary>
    public int Ranks => _comm.Size;
    /// <summary>Steps done.</summary>
    public long Step { get; internal set; }
    /// <summary>Evaluations so far.</summary>
    public IReadOnlyList<TextEvalRecord> History => _history;
    private readonly List<TextEvalRecord> _history = new();
    /// <summary>Rate of the last step.</summary>
    public double LearningRate { get; private set; }
    /// <summary>Mean training loss since the last evaluation (NaN if none).</summary>
    public double RecentTrainLoss => _lossCount == 0 ? double.NaN : _lossSum / _lossCount;

    private Optimizer Create(List<Parameter> ps, double decay) =>
        OptimizerFactory.Create(Config.Train.Optimizer, ps, Config.Train.LearningRate, decay, beta2: 0.99);

    /// <summary>Replaces the history with a restored checkpoint's.</summary>
    internal void RestoreHistory(IEnumerable<TextEvalRecord> history)
    {
        _history.Clear();
        _history.AddRange(history);
    }

    /// <summary>One optimiser step; returns its training loss (nats per token).</summary>
    public double TrainStep()
    {
        using var scope = NewDisposeScope();
        Model.train();
        LearningRate = _schedule.At(Step);
        foreach (var o in _optimizers) { o.LearningRate = LearningRate; o.ZeroGrad(); }
        var (x, y) = Data.TrainSlice(Step, Config.Seed, GlobalBatch, Config.Data.BlockSize, _comm.Rank, _comm.Size);   // (B, T) each
        var loss = Model.Loss(x, y);
        RankWeighted(loss, x.size(0)).backward();
        _reduce?.Reduce(_parameters);
        if (Config.Train.GradClip > 0) nn.utils.clip_grad_norm_(Model.parameters(), Config.Train.GradClip);
        foreach (var o in _optimizers) o.Step();
        Step++;
        double value = DistributedMetrics.StepMean(_comm, TensorScalar.Value(loss), x.numel());
        _lossSum += value;
        _lossCount++;
        return value;
    }

    // This rank's mean loss × its share of the global batch × ranks: after the all-reduce (sum /
    // ranks) the gradient is the mean over the global batch. 1 (the loss as it is) when the ranks divide it.
    private Tensor RankWeighted(Tensor loss, long blocks)
    {
        int ranks = _comm.Size;
        if (ranks == 1 || blocks * ranks == GlobalBatch) return loss;
        using var weight = tensor((double)blocks * ranks / GlobalBatch, dtype: loss.dtype);
        return loss.mul(weight);
    }

    /// <summary>Validation loss on the fixed blocks, nats per token.</summary>
    public double ValidLoss()
    {
        Model.eval();
        using var noGrad = no_grad();
        Span<double> total = [0, 0];   // Σ batch losses, batches; rank r scores batches r, r + ranks, ...
        int index = 0;
        // The global batch's size, as one process with batch ranks × B would score: the same blocks.
        foreach (var (x, y) in Data.ValidBatches(Config.Steps.EvalBatches, GlobalBatch, Config.Data.BlockSize))
        {
            using (x) using (y)
            {
                if (index++ % _comm.Size != _comm.Rank) continue;
                using var scope = NewDisposeScope();
                total[0] += TensorScalar.Value(Model.Loss(x, y));
                total[1]++;
            }
        }
        if (_comm.Size > 1) _comm.AllReduceSum(total);
        Model.train();
        return total[0] / total[1];
    }

    /// <summary>Evaluates, records and returns the evaluation; the training-loss mean starts afresh.</summary>
    public TextEvalRecord Evaluate(double seconds)
    {
        double valid = ValidLoss();
        var record = new TextEvalRecord(Step, RecentTrainLoss, valid, BitsPerChar(valid, Data.ValidTokensPerChar), LearningRate, seconds);
        _history.Add(record);
        (_lossSum, _lossCount) = (0, 0);
        return record;
    }

    /// <summary>Bits per character from nats per token.</summary>
    public static double BitsPerChar(double natsPerToken, double tokensPerChar) => natsPerToken * tokensPerChar / Math.Log(2);

    /// <summary>Writes model and optimiser state.</summary>
    public void SaveState(BinaryWriter w)
    {
        Model.save(w);
        foreach (var o in _optimizers) o.Save(w);
    }

    /// <summary>Reads what <see cref="SaveState"/> wrote.</summary>
    public void LoadState(BinaryReader r)
    {
        Model.load(r);
        foreach (var o in _optimizers) o.Load(r);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var o in _optimizers) o.Dispose();
        _reduce?.Dispose();
    }
}
