using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Tabular;

/// <summary>The outcome of a tabular training run.</summary>
/// <param name="Summary">What summary.json holds.</param>
/// <param name="Folder">The run folder.</param>
/// <param name="Data">The data as split and preprocessed.</param>
public sealed record TabularRun(RunSummary Summary, RunFolder Folder, TabularData Data);
