using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>What a checkpoint holds besides the tensors.</summary>
/// <param name="Path">File it was read from.</param>
/// <param name="Epoch">Completed epochs.</param>
/// <param name="Step">Optimiser steps taken.</param>
/// <param name="Plan">The fit in progress.</param>
/// <param name="History">Epoch records up to this point.</param>
/// <param name="Config">The run's resolved config (YAML), to check a resume uses the same settings.</param>
/// <param name="CreatedUtc">When it was written.</param>
/// <param name="Progress">The data cursor inside the next epoch (null or zero at an epoch boundary).</param>
public sealed record CheckpointInfo(string Path, int Epoch, long Step, FitPlan? Plan, List<EpochRecord> History, string Config, DateTime CreatedUtc,
    EpochProgress? Progress = null);
