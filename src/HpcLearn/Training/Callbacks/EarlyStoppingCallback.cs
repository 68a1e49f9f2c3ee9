using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>Stops when the validation loss has not improved for <see cref="Patience"/> epochs.</summary>
public sealed class EarlyStoppingCallback(int patience, double minDelta = 0) : Callback
{
    private double _best = double.PositiveInfinity;
    private int _bad;

    /// <inheritdoc />
    public override int Order => CallbackOrder.EarlyStopping;

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; } = patience > 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience));

    /// <inheritdoc />
    public override void OnFitStart(Learner learner)
    {
        // A resumed run picks up the count where the history left it.
        _best = double.PositiveInfinity;
        _bad = 0;
        foreach (var r in learner.History) Track(r.ValidLoss);
    }

    /// <inheritdoc />
    public override LoopAction OnEpochEnd(Learner learner, EpochRecord record)
    {
        Track(record.ValidLoss);
        if (_bad < Patience) return LoopAction.Continue;
        learner.RequestStop($"early stopping: validation loss has not improved for {Patience} epochs (best {NumberText.Short(_best, 4)})");
        return LoopAction.Stop;
    }

    private void Track(double loss)
    {
        if (double.IsNaN(loss)) return;
        if (loss < _best - minDelta) { _best = loss; _bad = 0; }
        else _bad++;
    }
}
