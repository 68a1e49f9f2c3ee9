using HpcLearn.Runs.Metrics;

namespace HpcLearn.Tasks.Text;

/// <summary>One evaluation during training (a row of metrics.csv).</summary>
/// <param name="Step">Optimiser steps done.</param>
/// <param name="TrainLoss">Mean training loss since the previous evaluation, nats per token.</param>
/// <param name="ValidLoss">Validation loss on the fixed blocks, nats per token.</param>
/// <param name="ValidBitsPerChar">The same in bits per character.</param>
/// <param name="LearningRate">Rate of the last step.</param>
/// <param name="Seconds">Training seconds since the start (evaluations included).</param>
public sealed record TextEvalRecord(long Step, double TrainLoss, double ValidLoss, double ValidBitsPerChar, double LearningRate, double Seconds)
{
    /// <summary>The metrics.csv row: step, no epoch (a text model trains by steps), then the values.</summary>
    public MetricsRow ToRow() => MetricsRow.Of(Step, null,
        ("train_loss", TrainLoss), ("valid_loss", ValidLoss), ("valid_bits_per_char", ValidBitsPerChar), ("lr", LearningRate), ("seconds", Seconds));
}
