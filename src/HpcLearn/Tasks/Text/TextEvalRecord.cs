namespace HpcLearn.Tasks.Text;

/// <summary>One evaluation during training (a row of metrics.csv).</summary>
/// <param name="Step">Optimiser steps done.</param>
/// <param name="TrainLoss">Mean training loss since the previous evaluation, nats per token.</param>
/// <param name="ValidLoss">Validation loss on the fixed blocks, nats per token.</param>
/// <param name="ValidBitsPerChar">The same in bits per character.</param>
/// <param name="LearningRate">Rate of the last step.</param>
/// <param name="Seconds">Training seconds since the start (evaluations included).</param>
public sealed record TextEvalRecord(long Step, double TrainLoss, double ValidLoss, double ValidBitsPerChar, double LearningRate, double Seconds);
