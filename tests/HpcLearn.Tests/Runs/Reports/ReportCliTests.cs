using HpcLearn.Cli;
using Xunit;

namespace HpcLearn.Tests.Runs.Reports;

public class ReportCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Report_rebuilds_report_html_and_prints_its_path()
    {
        using var run = new FakeRunFolder();
        var (code, stdout, stderr) = Run("report", run.Dir);

        Assert.True(code == 0, stderr);
        Assert.Equal(run["report.html"] + Environment.NewLine, stdout);
        Assert.True(File.Exists(run["report.html"]));
    }

    [Fact]
    public void Report_on_a_missing_folder_exits_2_with_one_line()
    {
        var (code, stdout, stderr) = Run("report", "runs/does-not-exist");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: run folder 'runs/does-not-exist' does not exist; pass the folder that 'hpclearn train' printed (e.g. runs/NAME)" + Environment.NewLine, stderr);
    }

    [Fact]
    public void Report_on_a_folder_without_metrics_csv_exits_2_naming_the_file()
    {
        using var run = new FakeRunFolder();
        File.Delete(run["metrics.csv"]);
        var (code, _, stderr) = Run("report", run.Dir);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: run folder '{run.Dir}' has no metrics.csv (looked for {run["metrics.csv"]});", stderr);
        Assert.Single(stderr.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Compare_writes_the_page_given_by_out()
    {
        using var a = new FakeRunFolder("a");
        using var b = new FakeRunFolder("b", beats: false);
        string outPath = Path.Combine(a.Root, "compare.html");
        var (code, stdout, stderr) = Run("report", "--compare", a.Dir, b.Dir, "--out", outPath);

        Assert.True(code == 0, stderr);
        Assert.Equal(outPath + Environment.NewLine, stdout);
        Assert.Contains("<h1>Comparing 2 runs</h1>", File.ReadAllText(outPath));
    }

    [Fact]
    public void Several_folders_without_compare_exit_2()
    {
        var (code, _, stderr) = Run("report", "runs/a", "runs/b");
        Assert.Equal(2, code);
        Assert.Equal("error: report takes one run folder, got 2; to lay several side by side add --compare" + Environment.NewLine, stderr);
    }
}
