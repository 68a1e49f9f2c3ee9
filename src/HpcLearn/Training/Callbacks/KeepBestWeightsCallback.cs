using HpcLearn.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Training.Callbacks;

/// <summary>
/// At the end of a completed fit, puts back the weights of the epoch with the lowest validation
/// loss; the weights the fit started from count as epoch 0 (measured in <see cref="OnFitStart"/>), so
/// a model that starts from a good closed-form fit is kept unless training improves on it. It runs
/// after the checkpoint (which keeps the last epoch's state, for <c>--resume</c>). A fit stopped
/// early (signal, deadline, divergence) keeps its last weights. A resumed fit chooses among the
/// weights it resumed from and the epochs after them (the earlier epochs' weights are not in the checkpoint).
/// Every rank runs it on identical weights and shared validation losses, so all keep the same epoch.
/// </summary>
public sealed class KeepBestWeightsCallback : Callback
{
    private readonly Dictionary<string, Tensor> _best = new();
    private double _bestLoss = double.PositiveInfinity;

    /// <inheritdoc />
    public override int Order => CallbackOrder.KeepBestWeights;

    /// <summary>The epoch whose weights the model holds after the fit (0 = the starting weights); null until a fit ends.</summary>
    public int? KeptEpoch { get; private set; }

    /// <summary>The kept epoch's validation loss.</summary>
    public double KeptLoss { get; private set; } = double.NaN;

    /// <summary>The last epoch's validation loss.</summary>
    public double LastLoss { get; private set; } = double.NaN;

    private int _bestEpoch;

    /// <inheritdoc />
    public override void OnFitStart(Learner learner)
    {
        Clear();
        KeptEpoch = null;
        if (learner.Valid is null) return;
        var start = learner.Evaluate(learner.Valid);
        start.Outputs.Dispose();
        start.Targets.Dispose();
        Track(learner, learner.Epoch, start.Loss);
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        Track(learner, record.Epoch, record.ValidLoss);
        return LoopAction.Continue;
    }

    /// <inheritdoc />
    public override void OnFitEnd(Learner learner)
    {
        bool finished = !learner.Diverged && !learner.Interrupted && learner.Progress.Batches == 0;
        if (finished && _best.Count > 0)
        {
            LastLoss = learner.History.Count > 0 ? learner.History[^1].ValidLoss : double.NaN;
            if (_bestEpoch != learner.Epoch)
            {
                using var noGrad = no_grad();
                foreach (var (name, value) in learner.Model.state_dict()) value.copy_(_best[name]);
            }
            KeptEpoch = _bestEpoch;
            KeptLoss = _bestLoss;
        }
        Clear();
    }

    private void Track(Learner learner, int epoch, double loss)
    {
        if (!(loss < _bestLoss)) return; // NaN never wins
        _bestLoss = loss;
        _bestEpoch = epoch;
        using var noGrad = no_grad();
        foreach (var (name, value) in learner.Model.state_dict())
        {
            if (_best.TryGetValue(name, out var kept)) kept.copy_(value);
            else _best[name] = value.detach().clone().DetachFromDisposeScope();
        }
    }

    private void Clear()
    {
        foreach (var t in _best.Values) t.Dispose();
        _best.Clear();
        _bestLoss = double.PositiveInfinity;
        _bestEpoch = 0;
    }
}
