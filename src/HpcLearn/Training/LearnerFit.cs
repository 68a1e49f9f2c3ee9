using System.Diagnostics;
using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>
/// The fit every Learner-based task runs inside its <see cref="RunSession"/>: restore the newest valid
/// checkpoint on <c>--resume</c> and finish the fit it was part of, else fit from the options; the
/// run's stop token ends it cleanly; a divergence becomes the session's one-line error.
/// </summary>
public static class LearnerFit
{
    /// <summary>Fits (or resumes) <paramref name="learner"/>; returns the seconds spent training in this attempt.</summary>
    /// <exception cref="UserError">The loss diverged: the message names the last good checkpoint and a lower learning rate.</exception>
    public static double Run(Learner learner, CheckpointStore store, RunSession session, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(session);
        var ctx = session.Context;
        if (ctx.Resume) store.Resume(learner, session.Yaml, ctx.Out);
        var clock = Stopwatch.StartNew();
        if (ctx.Resume) { if (learner.Epoch < learner.Plan!.LastEpoch) learner.Continue(ctx.Stop.Token); }
        else learner.FitFromOptions(ctx.Stop.Token);
        double seconds = clock.Elapsed.TotalSeconds;
        if (learner.Diverged) throw session.Diverged(learner.StopReason!, RunSession.LowerLearningRate(learningRate));
        return seconds;
    }
}
