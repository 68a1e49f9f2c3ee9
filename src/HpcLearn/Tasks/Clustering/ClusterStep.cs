namespace HpcLearn.Tasks.Clustering;

/// <summary>One row of a cluster run's metrics.csv: a Lloyd or EM iteration, or the end of mini-batch epochs.</summary>
/// <param name="Step">Iteration (or mini-batch updates) so far.</param>
/// <param name="Epoch">Passes over the data, for mini-batch k-means; null where it has no meaning.</param>
/// <param name="Values">The objective's value(s) at that step, by column name (inertia, log_likelihood, ...).</param>
internal sealed record ClusterStep(long Step, int? Epoch, IReadOnlyDictionary<string, double> Values);
