using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>What a callback asks the training loop to do next.</summary>
public enum LoopAction
{
    /// <summary>Carry on.</summary>
    Continue,
    /// <summary>Finish the current step cleanly and end training.</summary>
    Stop,
}

/// <summary>
/// A hook into the training loop. Everything optional (progress, logs, checkpoints, early
/// stopping, clipping, guards, gradient all-reduce) is a callback; the loop itself stays short.
/// Callbacks run in ascending <see cref="Order"/>; they steer the loop by return value.
/// </summary>
public abstract class Callback
{
    /// <summary>Run order: lower first. Built-ins use 0-100 (see <see cref="CallbackOrder"/>).</summary>
    public virtual int Order => CallbackOrder.Default;

    /// <summary>Before the first epoch of a fit (also after a resume).</summary>
    public virtual void OnFitStart(Learner learner) { }

    /// <summary>At the start of each epoch.</summary>
    public virtual void OnEpochStart(Learner learner) { }

    /// <summary>After backward, before the optimiser step: gradients are in place.</summary>
    public virtual void AfterBackward(Learner learner) { }

    /// <summary>After each optimiser step, with the batch's loss.</summary>
    public virtual LoopAction OnBatchEnd(Learner learner, double loss) => LoopAction.Continue;

    /// <summary>After validation at the end of an epoch; <see cref="Learner.History"/> holds its record.</summary>
    public virtual LoopAction OnEpochEnd(Learner learner, EpochRecord record) => LoopAction.Continue;

    /// <summary>When the fit ends, whether it ran out of epochs or was stopped.</summary>
    public virtual void OnFitEnd(Learner learner) { }
}
