using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Reports;
using Xunit;

namespace HpcLearn.Tests.Runs.Reports;

public class RunReportCompareTests
{
    [Fact]
    public void Compare_lays_runs_side_by_side_and_marks_the_best_value_of_each_metric()
    {
        using var good = new FakeRunFolder("good", beats: true);
        using var bad = new FakeRunFolder("bad", beats: false, withEvaluation: false);
        string outPath = Path.Combine(good.Root, "out", "cmp.html");

        Assert.Equal(outPath, RunReport.Compare([bad.Dir, good.Dir], outPath));
        string html = File.ReadAllText(outPath);

        Assert.Contains("<tr><th>metric</th><th>bad</th><th>good</th></tr>", html);
        // Higher accuracy is better, lower log loss is better: the winning run has both.
        Assert.Contains("<td class=\"num\" data-value=\"0.5875\">0.5875</td><td class=\"num best\" data-value=\"0.8125\" title=\"best\">★ 0.8125</td>",
            ReportHtml.MetricRow(html, "accuracy"));
        Assert.Contains("<td class=\"num best\" data-value=\"0.4187\" title=\"best\">★ 0.4187</td>", ReportHtml.MetricRow(html, "log_loss"));
        Assert.DoesNotContain("best", ReportHtml.MetricRow(html, "log_loss").Split("</td>")[1]);
        var images = ReportHtml.Images(html);
        ReportHtml.AssertPng(Assert.Single(images));
        Assert.All(ReportHtml.Links(html), l => Assert.True(l.StartsWith("data:image/png;base64,", StringComparison.Ordinal) || l.StartsWith('#'), l[..Math.Min(80, l.Length)]));
    }

    [Fact]
    public void Compare_needs_two_runs()
    {
        using var one = new FakeRunFolder();
        var e = Assert.Throws<UserError>(() => RunReport.Compare([one.Dir], Path.Combine(one.Root, "x.html")));
        Assert.Equal("--compare needs at least two run folders, got 1; e.g. hpclearn report --compare runs/a runs/b", e.Message);
    }
}
