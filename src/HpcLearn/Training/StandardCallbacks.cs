using HpcLearn.Training.Callbacks;

namespace HpcLearn.Training;

/// <summary>The callbacks every task's run uses, as its options ask.</summary>
public static class StandardCallbacks
{
    /// <summary>Guard, optional clipping, metrics log, checkpoints, optional early stopping, progress, and the context's own.</summary>
    public static List<Callback> Create(TrainOptions options, RunFolder folder, CheckpointStore store, string configYaml, RunContext ctx)
    {
        var list = new List<Callback>
        {
            new DivergenceGuardCallback(),
            new MetricsLogCallback(folder.Root, ctx.TensorBoard),
            new CheckpointCallback(store, options.CheckpointEvery, configYaml),
            new ProgressCallback(ctx.Out, ctx.IsTerminal),
        };
        if (options.GradClip > 0) list.Add(new GradientClipCallback(options.GradClip));
        if (options.EarlyStoppingPatience > 0) list.Add(new EarlyStoppingCallback(options.EarlyStoppingPatience));
        list.AddRange(ctx.Callbacks);
        return list;
    }
}
