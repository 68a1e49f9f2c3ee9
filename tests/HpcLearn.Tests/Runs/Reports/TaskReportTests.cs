using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using CliRunner = HpcLearn.Tests.Cli.Cli;

namespace HpcLearn.Tests.Runs.Reports;

/// <summary>
/// A run of every task leaves report.html, TensorBoard events and a metrics.csv of the one schema,
/// and <c>hpclearn report RUN</c> rebuilds its page.
/// </summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TaskReportTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Tasks => new(TaskRuns.Tasks);

    [Theory]
    [MemberData(nameof(Tasks))]
    public void A_run_writes_its_report_and_tensorboard_events_and_report_rebuilds_it(string task)
    {
        string run = TaskRuns.Train(_tmp, task);
        string report = Path.Combine(run, "report.html");
        Assert.True(File.Exists(report), $"the {task} run wrote no report.html");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents.*", SearchOption.AllDirectories));

        // One schema: step, epoch, then named columns; the epoch filled exactly where the task has epochs.
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.StartsWith("step,epoch,", lines[0]);
        Assert.True(lines.Length > 1, $"{task}: metrics.csv has no row");
        foreach (var cells in lines.Skip(1).Select(l => l.Split(',')))
        {
            Assert.True(long.TryParse(cells[0], out _), $"{task}: step '{cells[0]}' is not a whole number");
            Assert.Equal(TaskRuns.HasEpochs(task), cells[1].Length > 0);
        }

        File.Delete(report);
        var r = CliRunner.Run("report", run).AssertOk();
        Assert.Equal(report + Environment.NewLine, r.Out);
        string html = File.ReadAllText(report);
        Assert.Contains("<section id=\"metrics\">", html);
        Assert.DoesNotContain("rerun the training", html);
        // Every plot in plots/ is on the page, each a real PNG.
        var images = ReportHtml.Images(html);
        Assert.Equal(Directory.GetFiles(Path.Combine(run, "plots"), "*.png").Length, images.Count);
        Assert.NotEmpty(images);
        foreach (var png in images) ReportHtml.AssertPng(png);
        if (task is "text" or "pde" or "games" or "cluster")
            Assert.Contains($"<section id=\"{SectionId(task)}\">", html);
        // What each task's section is for: text its count models and samples, games its arena,
        // cluster the k chosen, PDE the solution, slices and loss drawn by the run.
        if (task == "text")
        {
            Assert.Contains("<table class=\"metrics\" id=\"count-models\">", html);
            Assert.Equal(3, html.Split("<figure class=\"sample\">").Length - 1);
        }
        if (task == "games")
        {
            Assert.Contains("<tr data-opponent=\"random\">", html);
            Assert.Contains("<p id=\"exhaustive\">The trained agent against every opponent", html); // tic-tac-toe: every line judged
        }
        if (task == "cluster") Assert.Single(html.Split("<tr class=\"chosen\">").Skip(1));
        if (task == "pde") Assert.Equal(["loss.png", "slices.png", "solution.png"], Directory.GetFiles(Path.Combine(run, "plots")).Select(Path.GetFileName).Order());
    }

    /// <summary>The id of the task's own section.</summary>
    public static string SectionId(string task) => task == "cluster" ? "clusters" : task;
}
