using HpcLearn.Config;
using HpcLearn.Training.Callbacks;

using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>The callbacks every task's run uses, as its options ask.</summary>
public static class StandardCallbacks
{
    /// <summary>
    /// Guard, optional clipping, metrics log, checkpoints, the stop (the context's
    /// <see cref="RunContext.Stop"/> with the <c>train.max_time</c> budget), optional early stopping,
    /// progress, and <paramref name="extra"/>. On a data-parallel run, gradients are all-reduced first, and the callbacks
    /// that write or decide run on rank 0 with their decisions broadcast together (one
    /// <see cref="Distributed.RankZeroGroup"/>), so every rank stops at the same step; clipping runs
    /// everywhere on the already-reduced (identical) gradients, and the optimiser step is shared out
    /// (<see cref="Distributed.ShardedOptimizerStep"/>).
    /// </summary>
    /// <param name="options">The <c>train:</c> section.</param>
    /// <param name="folder">The run folder (metrics log).</param>
    /// <param name="store">Where checkpoints go.</param>
    /// <param name="configYaml">The resolved config, saved in each checkpoint.</param>
    /// <param name="ctx">Output, stop token, communicator.</param>
    /// <param name="extra">More callbacks for the run (a task's <c>Callbacks</c>), wrapped for rank 0 as the others.</param>
    public static List<Callback> Create(TrainOptions options, RunFolder folder, CheckpointStore store, string configYaml, RunContext ctx,
        IEnumerable<Callback>? extra = null)
    {
        var comm = ctx.Communicator;
        var rankZero = comm.Size > 1 ? new Distributed.RankZeroGroup(comm) : null;
        Callback Once(Callback c) => rankZero is null ? c : rankZero.Wrap(c);
        var list = new List<Callback>
        {
            Once(new DivergenceGuardCallback()),
            Once(new MetricsLogCallback(folder.Root, ctx.TensorBoard)),
            Once(new CheckpointCallback(store, options.CheckpointEvery, configYaml)),
            Once(new ProgressCallback(ctx.Out, ctx.IsTerminal)),
            Once(new DeadlineCallback(ctx.Stop, options.MaxTimeSpan)),
        };
        if (comm.Size > 1)
        {
            list.Add(new Distributed.GradientAllReduceCallback(comm));
            list.Add(new Distributed.ShardedOptimizerStep(comm));
        }
        if (options.GradClip > 0) list.Add(new GradientClipCallback(options.GradClip));
        if (options.EarlyStoppingPatience > 0) list.Add(Once(new EarlyStoppingCallback(options.EarlyStoppingPatience)));
        list.AddRange((extra ?? []).Select(Once));
        if (rankZero is not null) list.Add(rankZero);
        return list;
    }
}
