using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs.Reports;
using Xunit;

namespace HpcLearn.Tests.Runs.Reports;

public class RunReportTests
{
    private static readonly string[] AllPlots = ["loss.png", "metrics.png", "lr.png", "confusion.png", "reliability.png", "groups.png"];

    [Fact]
    public void Build_writes_a_self_contained_report_with_one_embedded_png_per_plot()
    {
        using var run = new FakeRunFolder();
        string path = RunReport.Build(run.Dir);

        Assert.Equal(run["report.html"], path);
        string html = File.ReadAllText(path);
        foreach (var link in ReportHtml.Links(html))
            Assert.True(link.StartsWith("data:image/png;base64,", StringComparison.Ordinal) || link.StartsWith('#'), $"external link: {link[..Math.Min(80, link.Length)]}");
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html);

        var images = ReportHtml.Images(html);
        Assert.Equal(AllPlots.Length, images.Count);
        foreach (var png in images) ReportHtml.AssertPng(png);
        // The same PNGs are written to plots/, in page order.
        Assert.Equal(AllPlots.Order(), Directory.GetFiles(run["plots"]).Select(Path.GetFileName).Order());
        Assert.Equal(AllPlots.Select(f => File.ReadAllBytes(Path.Combine(run["plots"], f))), images);
    }

    [Fact]
    public void Metric_table_holds_the_numbers_of_summary_json_beside_the_baseline()
    {
        using var run = new FakeRunFolder();
        string html = File.ReadAllText(RunReport.Build(run.Dir));

        foreach (var (metric, value) in FakeRunFolder.Winning)
        {
            string row = ReportHtml.MetricRow(html, metric);
            Assert.Contains($"data-value=\"{value:R}\">{value:F4}</td>", row);
            Assert.Contains($">{FakeRunFolder.Baseline[metric]:F4}</td>", row);
        }
        Assert.Contains("<td class=\"yes\">yes</td>", ReportHtml.MetricRow(html, "accuracy"));
        Assert.Contains("majority class &#39;no&#39; (64.0% of training rows)", html);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Says_plainly_when_and_only_when_the_model_does_not_beat_its_baseline(bool beats)
    {
        using var run = new FakeRunFolder(beats: beats);
        string html = File.ReadAllText(RunReport.Build(run.Dir));

        if (beats) Assert.DoesNotContain("does not beat its baseline", html);
        else
        {
            Assert.Contains("The model does not beat its baseline on Accuracy, its primary metric: 0.5875 against 0.6400 for the trivial baseline, " +
                            "majority class &#39;no&#39; (64.0% of training rows).", html);
            Assert.Contains("<td class=\"no\">no</td>", ReportHtml.MetricRow(html, "accuracy"));
        }
    }

    [Fact]
    public void Sections_show_the_evaluation_and_escape_every_user_string()
    {
        using var run = new FakeRunFolder();
        string html = File.ReadAllText(RunReport.Build(run.Dir));

        foreach (var id in new[] { "metrics", "data-card", "curves", "confusion", "calibration", "groups", "config" })
            Assert.Contains($"<section id=\"{id}\">", html);
        Assert.Contains("data/churn &lt;2024&gt; &amp; co.csv", html); // data card source and config
        Assert.DoesNotContain("<2024>", html);
        Assert.Contains("possible leakage", html);
        Assert.Contains("T = 1.7342</b>, fitted on validation split", html);
        Assert.Contains("data-value=\"0.0912\">0.0912</td><td class=\"num\" data-value=\"0.0231\">0.0231</td>", html); // ECE before → after
        Assert.Contains("<tr class=\"small\"><td>missing<span class=\"badge\">small</span>", html);
        Assert.Contains("Demographic parity difference: <b>0.0500</b>", html);
        Assert.Contains("Equalised odds difference: <b>0.0800</b>", html);
        Assert.Contains("<h1>Run report: demo</h1>", html);
    }

    [Fact]
    public void Without_evaluation_json_the_report_builds_without_those_sections()
    {
        using var run = new FakeRunFolder(withEvaluation: false);
        string html = File.ReadAllText(RunReport.Build(run.Dir));

        Assert.Equal(3, ReportHtml.Images(html).Count); // loss, metrics, learning rate
        foreach (var id in new[] { "data-card", "confusion", "calibration", "groups" })
            Assert.DoesNotContain($"id=\"{id}\"", html);
        Assert.Contains("This run folder has no evaluation.json", html);
        Assert.Contains("<section id=\"config\">", html);
    }

    [Fact]
    public void Regression_evaluation_without_confusion_or_calibration_leaves_those_out()
    {
        using var run = new FakeRunFolder();
        run.WriteEvaluation(FakeRunFolder.Evaluation with { Confusion = null, Calibration = null, Groups = null });
        string html = File.ReadAllText(RunReport.Build(run.Dir));

        Assert.Contains("<section id=\"data-card\">", html);
        Assert.DoesNotContain("id=\"calibration\"", html);
        Assert.Equal(3, ReportHtml.Images(html).Count);
    }

    [Theory]
    [InlineData("metrics.csv", "it is written as the run trains; point at the run folder that 'hpclearn train' printed")]
    [InlineData("summary.json", "it is written when training finishes; finish the run (hpclearn train CONFIG --resume) or point at a finished run folder")]
    public void A_missing_required_file_is_a_user_error_that_names_it(string file, string remedy)
    {
        using var run = new FakeRunFolder();
        File.Delete(run[file]);

        var e = Assert.Throws<UserError>(() => RunReport.Build(run.Dir));
        Assert.Equal($"run folder '{run.Dir}' has no {file} (looked for {run[file]}); {remedy}", e.Message);
        Assert.False(File.Exists(run["report.html"]));
    }

    [Fact]
    public void A_folder_without_config_yaml_still_gets_its_report_saying_so()
    {
        using var run = new FakeRunFolder();
        File.Delete(run["config.yaml"]);

        string html = File.ReadAllText(RunReport.Build(run.Dir));
        Assert.Contains("<p class=\"note\">This run folder has no config.yaml.</p>", html);
    }

    [Fact]
    public void A_malformed_metrics_csv_names_the_file_and_line()
    {
        using var run = new FakeRunFolder();
        var lines = File.ReadAllLines(run["metrics.csv"]);
        lines[3] = lines[3].Replace(",0.301", ",abc");
        File.WriteAllLines(run["metrics.csv"], lines);

        var e = Assert.Throws<UserError>(() => RunReport.Build(run.Dir));
        Assert.Equal($"{run["metrics.csv"]}:4: column 'seconds' should hold numbers, as training writes them, but has 'abc'", e.Message);
    }

    [Fact]
    public void A_broken_evaluation_json_names_the_file()
    {
        using var run = new FakeRunFolder();
        File.WriteAllText(run["evaluation.json"], """{ "confusion": { "labels": ["no", "yes"] } }""");

        var e = Assert.Throws<UserError>(() => RunReport.Build(run.Dir));
        Assert.StartsWith($"{run["evaluation.json"]}", e.Message);
        Assert.EndsWith("delete it to build the report without it", e.Message);
    }

    [Fact]
    public void A_confusion_matrix_that_does_not_match_its_labels_names_the_file()
    {
        using var run = new FakeRunFolder();
        run.WriteEvaluation(FakeRunFolder.Evaluation with { Confusion = new ConfusionReport(["no", "yes"], [[1, 2], [3]]) });

        var e = Assert.Throws<UserError>(() => RunReport.Build(run.Dir));
        Assert.Equal($"{run["evaluation.json"]}: confusion.counts must be 2×2, one row and column per label; delete the file to build the report without it", e.Message);
    }

    [Fact]
    public void A_missing_run_folder_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => RunReport.Build("no/such/run"));
        Assert.Equal("run folder 'no/such/run' does not exist; pass the folder that 'hpclearn train' printed (e.g. runs/NAME)", e.Message);
    }
}
