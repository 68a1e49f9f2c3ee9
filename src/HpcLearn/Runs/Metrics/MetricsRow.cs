namespace HpcLearn.Runs.Metrics;

/// <summary>
/// One row of <c>metrics.csv</c>: the step it was logged at, the epoch where the task has epochs
/// (null where it has no meaning: text steps, games iterations, PDE iterations, cluster k), and
/// named values in column order. NaN is an empty cell (no validation, not measured).
/// </summary>
/// <param name="Step">What the task counts: optimiser steps, iterations, or k for a k-selection.</param>
/// <param name="Epoch">The epoch, or null.</param>
/// <param name="Values">Column name and value, in the order the columns are written.</param>
public sealed record MetricsRow(long Step, int? Epoch, IReadOnlyList<KeyValuePair<string, double>> Values)
{
    /// <summary>A row from (name, value) pairs.</summary>
    public static MetricsRow Of(long step, int? epoch, params (string Name, double Value)[] values) =>
        new(step, epoch, values.Select(v => new KeyValuePair<string, double>(v.Name, v.Value)).ToList());
}
