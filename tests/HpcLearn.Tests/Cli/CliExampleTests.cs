using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary><c>hpclearn example</c>, and the <c>next:</c> lines that <c>train</c> and <c>quickstart</c> end with.</summary>
public sealed class CliExampleTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static string Self => Environment.GetEnvironmentVariable("HPCLEARN_INVOKED_AS") ?? "hpclearn";

    [Fact]
    public void No_name_lists_every_shipped_example_with_its_first_comment_line()
    {
        var r = Cli.Run("example").AssertOk();

        var shipped = Directory.GetFiles(RepoPaths.Examples, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToList();
        var listed = r.Out.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.Equal(shipped, listed);
        Assert.Contains("penguins            Palmer penguins: predict the species", r.Out);
        Assert.EndsWith("write one with: hpclearn example NAME [--out DIR]\n", r.Out.Replace("\r", ""));
    }

    [Fact]
    public void A_name_writes_that_yaml_byte_for_byte_and_never_overwrites()
    {
        var dir = _tmp["cfg"];
        var r = Cli.Run("example", "churn", "--out", dir).AssertOk();

        string path = Path.Combine(dir, "churn.yaml");
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Examples, "churn.yaml")), File.ReadAllText(path));
        Assert.StartsWith($"wrote {path}\n", r.Out.Replace("\r", ""));
        Assert.Contains($"{Self} train {path} --set train.epochs=5", r.Out); // the header's command, pointed at the copy
        Assert.Contains($"next: {Self} train {path}", r.Out);

        File.WriteAllText(path, "mine");
        Cli.Run("example", "churn.yaml", "--out", dir).AssertUserError($"'{path}' already exists; not overwritten: remove it or choose another --out");
        Assert.Equal("mine", File.ReadAllText(path));
    }

    [Fact]
    public void An_unknown_name_is_one_line_with_the_nearest_example()
    {
        Cli.Run("example", "pengiuns", "--out", _tmp["x"]).AssertUserError("unknown example 'pengiuns'; did you mean 'penguins'? ('hpclearn example' lists them)");
        Cli.Run("example", "zzzzzzzz", "--out", _tmp["x"]).AssertUserError("unknown example 'zzzzzzzz' ('hpclearn example' lists them)");
        Assert.False(Directory.Exists(_tmp["x"]));
    }

    [Fact]
    public void Train_ends_with_next_lines_that_name_the_run_folder_just_written()
    {
        var cfg = _tmp.Write("n.yaml", Cli.TinyYaml("n"));
        var r = Cli.Run("train", cfg, "--out", _tmp["runs"]).AssertOk();

        string run = Path.Combine(_tmp["runs"], "n"), model = Path.Combine(run, "model");
        var lines = r.Out.Replace("\r", "").TrimEnd('\n').Split('\n');
        Assert.Equal("next:", lines[^4]);
        Assert.StartsWith($"  {Self} predict {model} FILE", lines[^3]);
        Assert.StartsWith($"  {Self} evaluate {model} FILE", lines[^2]);
        Assert.Equal($"  {Self} report {run}", lines[^1]);
        Assert.True(File.Exists(Path.Combine(model, "model.json")));
        Cli.Run("report", run).AssertOk(); // the report line works as printed
    }

    [Fact]
    public void Quickstart_next_lines_name_files_it_wrote_and_the_example_command_not_the_repository()
    {
        var r = Cli.Run("quickstart", "--out", _tmp["runs"], "--epochs", "1").AssertOk();

        string run = Path.Combine(_tmp["runs"], "quickstart"), model = Path.Combine(run, "model");
        Assert.Contains($"  {Self} predict {model} {Path.Combine(run, "sample-input.csv")}\n", r.Out.Replace("\r", ""));
        string labelled = Path.Combine(run, "sample-labelled.csv");
        Assert.Contains($"  {Self} evaluate {model} {labelled}\n", r.Out.Replace("\r", ""));
        Assert.Contains($"  {Self} example penguins", r.Out);
        Assert.Contains($"  {Self} train penguins.yaml", r.Out);
        Assert.DoesNotContain("examples/penguins.yaml", r.Out);
        Assert.Contains("Accuracy", Cli.Run("evaluate", model, labelled).AssertOk().Out); // the file it names evaluates
    }
}
