using System.Text.Json.Nodes;
using HpcLearn.Runs;

namespace HpcLearn.Training;

/// <summary>The end of a Learner's run as its <see cref="RunSession"/> writes it.</summary>
public static class LearnerOutcome
{
    /// <summary>
    /// A fit stopped before its end: the weights as they are (the last), with the last completed
    /// epoch's validation metrics (none before the first epoch ends) in model.json and summary.json.
    /// </summary>
    /// <param name="learner">The stopped learner.</param>
    /// <param name="details">model.json's details (no calibration: temperature 1).</param>
    /// <param name="summary">The summary as far as the task fills it (epochs, stop reason).</param>
    /// <param name="trainSeconds">This attempt's training seconds.</param>
    public static RunOutcome Stopped(Learner learner, JsonObject details, RunSummary summary, double trainSeconds)
    {
        ArgumentNullException.ThrowIfNull(learner);
        var last = learner.History.LastOrDefault()?.Metrics ?? new Dictionary<string, double>();
        return new RunOutcome
        {
            Model = learner.Model,
            Details = details,
            Metrics = last,
            TrainSeconds = trainSeconds,
            Summary = summary with { PrimaryMetric = last.Keys.FirstOrDefault(), MetricsJson = RunSummary.Wrap(last) },
        };
    }
}
