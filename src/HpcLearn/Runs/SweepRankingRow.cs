namespace HpcLearn.Runs;

/// <summary>One finished run in a <see cref="SweepRanking"/>.</summary>
/// <param name="Rank">1 = best.</param>
/// <param name="Run">The run folder's name (the grid point's index in a sweep).</param>
/// <param name="Values">The swept keys' values, in <see cref="SweepRanking.Keys"/> order.</param>
/// <param name="Value">The ranking metric (NaN if the run lacks it: ranked last).</param>
/// <param name="Epochs">Epochs completed.</param>
public sealed record SweepRankingRow(int Rank, string Run, IReadOnlyList<string> Values, double Value, int Epochs);
