using System.Globalization;
using System.Text;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// A PDE run: the solution against the exact one with the error map (<c>plots/solution.png</c>),
/// slices (<c>plots/slices.png</c>) and the training loss, residual and conditions, per Adam
/// iteration then L-BFGS evaluation (<c>plots/loss.png</c>; the numbers are metrics.csv's
/// <c>loss</c>). The task draws them from the model on the evaluation grid; the report embeds them.
/// </summary>
internal sealed class PdeSection : TaskSection
{
    private static readonly (string File, string Title)[] Figures =
    [
        ("solution.png", "u predicted by the network, the exact u, and the error map |predicted − exact| on the evaluation grid"),
        ("slices.png", "Predicted against exact u at 25%, 50% and 75% of the second variable's range"),
        ("loss.png", "Training loss (PDE residual plus conditions), log10, per Adam iteration then per L-BFGS evaluation"),
    ];

    /// <inheritdoc />
    public override string Id => "pde";

    /// <inheritdoc />
    public override string Title => "Solution";

    /// <inheritdoc />
    public override List<PlotImage> Plots(ReportRun run) =>
        Figures.Select(f => PngFile.Read(run.PathOf("plots", f.File), f.Title)).OfType<PlotImage>().ToList();

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, double>> Metrics(ReportRun run) =>
        run.Metrics.Where(m => m.Key is not ("adam_iterations" or "lbfgs_iterations" or "lbfgs_evaluations")).ToList();

    /// <inheritdoc />
    public override string? Progress(ReportRun run)
    {
        var m = run.Metrics.ToDictionary(p => p.Key, p => p.Value);
        return m.TryGetValue("adam_iterations", out double adam)
            ? string.Create(CultureInfo.InvariantCulture, $"Adam {adam:0} iterations, L-BFGS {m.GetValueOrDefault("lbfgs_iterations"):0} iterations ({m.GetValueOrDefault("lbfgs_evaluations"):0} evaluations)")
            : null;
    }

    /// <inheritdoc />
    public override void Write(StringBuilder sb, ReportRun run, IReadOnlyDictionary<string, PlotImage> plots)
    {
        sb.Append($"<section id=\"{Id}\">\n<h2>{Title}</h2>\n");
        sb.Append("<p class=\"note\">The error is measured against the problem's exact solution on the evaluation grid; " +
                  "the baseline u = 0 everywhere has a relative L2 error of 1.</p>\n");
        var missing = new List<string>();
        foreach (var (file, _) in Figures)
            if (plots.TryGetValue(file, out var image)) sb.Append(Html.Figure(image)).Append('\n');
            else missing.Add("plots/" + file);
        if (missing.Count > 0)
            sb.Append($"<p class=\"note\">Not in this run folder: {Html.E(string.Join(", ", missing))} (the run draws them when it finishes).</p>\n");
        double[] loss = run.History.Column("loss") ?? [];
        if (loss.Any(double.IsFinite))
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"<p class=\"note\">metrics.csv: {loss.Length} loss values, from {Html.Num(loss.First(double.IsFinite))} to {Html.Num(loss.Last(double.IsFinite))}.</p>\n"));
        sb.Append("</section>\n");
    }
}
