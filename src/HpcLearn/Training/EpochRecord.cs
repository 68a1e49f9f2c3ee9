using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>What one epoch produced: losses, validation metrics, learning rate and time.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Step">Optimiser steps taken so far.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="ValidLoss">Validation loss, or NaN without validation data.</param>
/// <param name="Metrics">Validation metrics by snake_case name.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch including validation.</param>
public sealed record EpochRecord(
    int Epoch, long Step, double TrainLoss, double ValidLoss,
    IReadOnlyDictionary<string, double> Metrics, double LearningRate, double Seconds);
