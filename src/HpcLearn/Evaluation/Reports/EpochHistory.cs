namespace HpcLearn.Evaluation.Reports;

/// <summary>metrics.csv as columns: one entry per epoch, NaN where a cell was empty.</summary>
/// <param name="Epochs">Epoch numbers.</param>
/// <param name="TrainLoss">Mean training loss of each epoch.</param>
/// <param name="ValidLoss">Validation loss (NaN when there was no validation).</param>
/// <param name="LearningRate">Learning rate at the end of each epoch.</param>
/// <param name="Metrics">Validation metric columns, in file order.</param>
internal sealed record EpochHistory(
    double[] Epochs,
    double[] TrainLoss,
    double[] ValidLoss,
    double[] LearningRate,
    IReadOnlyList<KeyValuePair<string, double[]>> Metrics);
