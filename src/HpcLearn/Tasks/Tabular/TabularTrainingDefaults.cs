using HpcLearn.Config;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// <c>train.batch_size</c> and <c>train.epochs</c> for a tabular run whose config leaves them out,
/// derived from the number of training rows so that a small table still takes enough optimiser
/// steps (docs/tabular.md, "what the defaults are chosen for"). A value the config gives is used as given.
/// </summary>
public static class TabularTrainingDefaults
{
    /// <summary>Largest derived batch (the shared <c>train.batch_size</c> default).</summary>
    public const int MaxBatch = 64;

    /// <summary>Smallest derived batch: smaller batches make AdamW's steps noisy for little gain.</summary>
    public const int MinBatch = 16;

    /// <summary>The derived batch gives at least this many batches per epoch (rows per rank / 8, rounded down to a power of two).</summary>
    public const int BatchesPerEpoch = 8;

    /// <summary>Derived epochs give at least this many optimiser steps in all.</summary>
    public const int MinSteps = 600;

    /// <summary>Derived epochs are never fewer (the shared <c>train.epochs</c> default).</summary>
    public const int MinEpochs = 20;

    /// <summary>Derived epochs are never more (a table of a few dozen rows).</summary>
    public const int MaxEpochs = 300;

    /// <summary>The batch size for <paramref name="rowsPerRank"/> training rows per process.</summary>
    public static int Batch(int rowsPerRank)
    {
        int b = MinBatch;
        while (b * 2 <= MaxBatch && b * 2 * BatchesPerEpoch <= rowsPerRank) b *= 2;
        return b;
    }

    /// <summary>The epochs that give at least <see cref="MinSteps"/> steps of <paramref name="batch"/> rows.</summary>
    public static int Epochs(int rowsPerRank, int batch)
    {
        int steps = Math.Max(1, (rowsPerRank + batch - 1) / batch);
        return Math.Clamp((MinSteps + steps - 1) / steps, MinEpochs, MaxEpochs);
    }

    /// <summary>
    /// <paramref name="config"/> with the batch size and epochs it leaves out derived from
    /// <paramref name="trainRows"/>, and a line saying what was chosen (null when both were given).
    /// Classification only: a regression keeps the shared defaults (20 epochs of 64), because more
    /// steps overfit a small noisy regression table (docs/tabular.md has the figures).
    /// </summary>
    public static (TabularConfig Config, string? Note) Resolve(TabularConfig config, int trainRows, int ranks, TabularKind kind)
    {
        if (kind == TabularKind.Regression) return (config, null);
        var t = config.Train;
        var defaults = new TrainOptions();
        bool batchGiven = GivenKeys.Has(config, "train.batch_size", t.BatchSize != defaults.BatchSize);
        bool epochsGiven = GivenKeys.Has(config, "train.epochs", t.Epochs != defaults.Epochs);
        if (batchGiven && epochsGiven) return (config, null);
        int rowsPerRank = Math.Max(1, trainRows / Math.Max(1, ranks));
        int batch = batchGiven ? t.BatchSize : Batch(rowsPerRank);
        int epochs = epochsGiven ? t.Epochs : Epochs(rowsPerRank, batch);
        int steps = (rowsPerRank + batch - 1) / batch;
        var chosen = new List<string>();
        if (!batchGiven) chosen.Add($"train.batch_size {batch}");
        if (!epochsGiven) chosen.Add($"train.epochs {epochs}");
        string note = $"defaults for {trainRows} training rows: {string.Join(", ", chosen)} ({steps} steps per epoch, {steps * epochs} in all); set them in the config to choose";
        return (config with { Train = t with { BatchSize = batch, Epochs = epochs } }, note);
    }
}
