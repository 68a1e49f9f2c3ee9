using System.Text;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// The part of a run's report that belongs to its task: chosen by the task named in summary.json
/// and drawn from the run folder's files alone (metrics.csv, summary.json and the files the task
/// writes beside them), never from task code, so that <c>hpclearn report</c> rebuilds the page of
/// any run, on any machine, without the model or the data, and the Runs layer imports no task.
/// The files each section reads are its contract with the task; docs/report.md lists them.
/// </summary>
internal abstract class TaskSection
{
    /// <summary>The section's element id (the nav links to it).</summary>
    public abstract string Id { get; }

    /// <summary>The section's heading and nav label.</summary>
    public abstract string Title { get; }

    /// <summary>The section of <paramref name="task"/>, or null when the generic report covers it.</summary>
    public static TaskSection? For(string task) => task switch
    {
        "text" => new TextSection(),
        "pde" => new PdeSection(),
        "games" => new GamesSection(),
        "cluster" => new ClusterSection(),
        _ => null,
    };

    /// <summary>The section's plots, in page order; written to plots/ with the others.</summary>
    public abstract List<PlotImage> Plots(ReportRun run);

    /// <summary>Appends the section.</summary>
    public abstract void Write(StringBuilder sb, ReportRun run, IReadOnlyDictionary<string, PlotImage> plots);

    /// <summary>Horizontal lines drawn on the generic loss curves (a count model's loss): label and value.</summary>
    public virtual IReadOnlyList<(string Label, double Value)> LossReferences(ReportRun run) => [];

    /// <summary>The final metrics the metrics table shows; by default all of summary.json's.</summary>
    public virtual IReadOnlyList<KeyValuePair<string, double>> Metrics(ReportRun run) => run.Metrics;

    /// <summary>How far training went, for the line under the metrics table ("8 epochs"); null for nothing.</summary>
    public virtual string? Progress(ReportRun run) => null;
}
