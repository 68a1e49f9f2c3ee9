using System.Globalization;
using System.Text;
using HpcLearn.Data;
using HpcLearn.Evaluation.Reports;

namespace HpcLearn.Runs.Reports;

/// <summary>
/// A games run: the judge's share of optimal moves over the iterations (metrics.csv's
/// <c>judge_policy</c>: the best network's policy alone) against the final agent's (with search)
/// and a random player's, the new network's score against the best, the training losses, the
/// exhaustive judge's lines and losses (tic-tac-toe), and the final arena matches (<c>arena.csv</c>).
/// </summary>
internal sealed class GamesSection : TaskSection
{
    /// <summary>The final matches a games run writes.</summary>
    public const string ArenaFile = "arena.csv";

    private const string JudgePlot = "games-judge.png", LossPlot = "games-loss.png";

    /// <inheritdoc />
    public override string Id => "games";

    /// <inheritdoc />
    public override string Title => "Self-play";

    /// <inheritdoc />
    public override string? Progress(ReportRun run) => $"{run.History.Count} iterations";

    /// <inheritdoc />
    public override List<PlotImage> Plots(ReportRun run)
    {
        var h = run.History;
        var plots = new List<PlotImage>();
        if (h.Count == 0) return plots;
        var judge = PlotStyle.New("Judge: share of optimal moves", "iteration", "share");
        PlotStyle.Curve(judge, h.Step, h.Column("judge_policy") ?? [], "best network's policy alone");
        PlotStyle.Curve(judge, h.Step, h.Column("eval_score") ?? [], "new network's score against the best");
        Reference(judge, Value(run.Metrics, "judge_optimal"), "final agent with search");
        Reference(judge, run.Summary.Baseline.GetValueOrDefault("judge_optimal", double.NaN), "random legal move");
        Reference(judge, Value(run.Metrics, "judge_hard"), "final agent, hard set");
        judge.Axes.SetLimitsY(0, 1.05);
        PlotStyle.EpochTicks(judge, h.Step);
        judge.ShowLegend(ScottPlot.Edge.Bottom);
        plots.Add(PlotStyle.Render(judge, JudgePlot, "Share of the judge's positions where the move is optimal, per iteration; the new network's score against the best"));

        var loss = PlotStyle.New("Training loss", "iteration", "loss");
        PlotStyle.Curve(loss, h.Step, h.Column("policy_loss") ?? [], "policy (cross-entropy)");
        PlotStyle.Curve(loss, h.Step, h.Column("value_loss") ?? [], "value (MSE)");
        PlotStyle.EpochTicks(loss, h.Step);
        loss.ShowLegend(ScottPlot.Edge.Bottom);
        plots.Add(PlotStyle.Render(loss, LossPlot, "Mean policy and value loss of each iteration's training steps"));
        return plots;
    }

    /// <inheritdoc />
    public override void Write(StringBuilder sb, ReportRun run, IReadOnlyDictionary<string, PlotImage> plots)
    {
        sb.Append($"<section id=\"{Id}\">\n<h2>{Title}</h2>\n<div class=\"figures\">\n");
        foreach (var file in new[] { JudgePlot, LossPlot })
            if (plots.TryGetValue(file, out var image)) sb.Append(Html.Figure(image)).Append('\n');
        sb.Append("</div>\n");
        if (!run.History.Has("judge_policy"))
            sb.Append("<p class=\"note\">metrics.csv has no judge_policy values: the run judged no positions (selfplay.judge_positions: 0) or an older HpcLearn wrote it.</p>\n");
        double lines = Value(run.Metrics, "exhaustive_lines");
        if (double.IsFinite(lines))
        {
            double lost = Value(run.Metrics, "exhaustive_losses");
            sb.Append("<h3>Every line</h3>\n<p id=\"exhaustive\">")
              .Append(CultureInfo.InvariantCulture, $"The trained agent against every opponent (every legal reply at each of the opponent's turns, the agent as first and as second player): {lines:N0} lines, ")
              .Append(CultureInfo.InvariantCulture, $"<b>lost {lost:N0}</b> (as first {Value(run.Metrics, "exhaustive_losses_as_first"):N0}, as second {Value(run.Metrics, "exhaustive_losses_as_second"):N0}); ")
              .Append(CultureInfo.InvariantCulture, $"non-optimal moves in {Value(run.Metrics, "exhaustive_nonoptimal_positions"):N0} positions reached. ")
              .Append(lost == 0 ? "It never loses." : "It can lose: <code>hpclearn judge MODEL --exhaustive</code> prints the first lost line.")
              .Append("</p>\n");
        }
        sb.Append("<h3>Arena</h3>\n");
        var arena = Arena(run.PathOf(ArenaFile));
        if (arena is null || arena.RowCount == 0)
            sb.Append($"<p class=\"note\">No final matches in this run folder ({ArenaFile} is missing or empty: final_opponents or selfplay.final_games was empty).</p>\n");
        else
        {
            sb.Append("<table class=\"metrics\" id=\"arena\">\n").HeaderRow("trained agent against", "games", "won", "drawn", "lost", "score ↑", "95% interval");
            for (int i = 0; i < arena.RowCount; i++)
            {
                string opponent = arena["opponent"].Format(i);
                double N(string c) => arena[c].Numbers[i];
                sb.Append($"<tr data-opponent=\"{Html.E(opponent)}\"><td>{Html.E(opponent)}</td>")
                  .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{N("games"):0}</td><td class=\"num\">{N("wins"):0}</td><td class=\"num\">{N("draws"):0}</td><td class=\"num\">{N("losses"):0}</td>")
                  .Append(Html.MetricCell(N("score")))
                  .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{N("score_low"):0.0%} to {N("score_high"):0.0%}</td></tr>\n");
            }
            sb.Append("</table>\n<p class=\"note\">Score: (wins + draws / 2) / games. Against <b>random</b>, the trivial baseline, an agent that learned anything scores near 1; " +
                      "against <b>solver</b>, perfect play, about 0.5 is the best there is.</p>\n");
        }
        sb.Append("</section>\n");
    }

    private static void Reference(ScottPlot.Plot plot, double value, string label)
    {
        if (!double.IsFinite(value)) return;
        var line = plot.Add.HorizontalLine(value);
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{label} ({value:0.0%})");
        line.LinePattern = ScottPlot.LinePattern.Dashed;
    }

    private static double Value(IReadOnlyList<KeyValuePair<string, double>> metrics, string key) =>
        metrics.Where(m => m.Key == key).Select(m => m.Value).DefaultIfEmpty(double.NaN).First();

    /// <summary>arena.csv, or null when it is missing or not the table a games run writes.</summary>
    private static Table? Arena(string path)
    {
        if (!File.Exists(path) || !File.ReadLines(path).Skip(1).Any(l => l.Trim().Length > 0)) return null;
        var numeric = new[] { "games", "wins", "draws", "losses", "score", "score_low", "score_high" };
        var table = CsvSource.Load(path, new CsvOptions
        {
            Delimiter = ',', NumericColumns = numeric, CategoricalColumns = ["opponent"],
            NumericReason = "should hold numbers, as a games run writes them,", MissingTokens = [""],
        });
        return numeric.Append("opponent").All(c => table.Find(c) is not null) ? table : null;
    }
}
