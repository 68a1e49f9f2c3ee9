using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Recommend;

/// <summary>The outcome of a recommend training run.</summary>
/// <param name="Summary">What summary.json holds.</param>
/// <param name="Folder">The run folder.</param>
/// <param name="Data">The data as loaded and split.</param>
/// <param name="Scores">Test metrics of the model and the baselines (null when the run was interrupted or on ranks other than 0).</param>
public sealed record RecommendRun(RunSummary Summary, RunFolder Folder, RecommendData Data, RecommendScores? Scores);
