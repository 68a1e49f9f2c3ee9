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
/// <param name="WorldSize">The number of ranks that wrote it (null in checkpoints from before it was recorded).</param>
/// <param name="GlobalBatch">Examples per step over all ranks (<see cref="Data.TensorDataLoader.GlobalBatch"/>); kept by a resume on another number of ranks.</param>
/// <param name="KeptMultiple">Each epoch's kept examples are a multiple of this (<see cref="Data.TensorDataLoader.KeptMultiple"/>).</param>
public sealed record CheckpointInfo(string Path, int Epoch, long Step, FitPlan? Plan, List<EpochRecord> History, string Config, DateTime CreatedUtc,
    EpochProgress? Progress = null, int? WorldSize = null, int? GlobalBatch = null, int? KeptMultiple = null);
