using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>tasks, --version, --help, unknown commands and quickstart.</summary>
public sealed class CliCommandTests : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Tasks_lists_tabular_with_every_key_and_its_default()
    {
        var r = Cli.Run("tasks").AssertOk();
        Assert.StartsWith("# tabular: ", r.Out);
        foreach (var line in new[] { "task: tabular", "  epochs: 20", "  batch_size: 64", "  builtin: churn", "  valid_fraction: 0.2", "  layers: [200, 100]",
            "  lr: 0.003", "  optimizer: adamw" })
            Assert.Contains(line + "\n", r.Out);
    }

    [Fact]
    public void Version_is_hpclearns_own_not_the_hosts()
    {
        var version = typeof(HpcLearn.Cli.CliApp).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.StartsWith("0.1.0", version);
        Assert.Equal(version + Environment.NewLine, Cli.Run("--version").AssertOk().Out);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var r = Cli.Run("--help").AssertOk();
        foreach (var command in new[] { "quickstart", "train", "predict", "evaluate", "tasks" }) Assert.Contains(command, r.Out);
    }

    [Fact]
    public void Unknown_command_is_one_line_and_exit_2()
    {
        var r = Cli.Run("frobnicate");
        r.AssertUserErrorStartsWith("");
        Assert.Contains("'frobnicate'", r.Err);
        Assert.EndsWith("run 'hpclearn --help' (or 'hpclearn COMMAND --help') for usage" + Environment.NewLine, r.Err);
    }

    [Fact]
    public void Missing_argument_is_one_line_and_exit_2()
    {
        var r = Cli.Run("predict");
        r.AssertUserErrorStartsWith("");
        Assert.Contains("'predict'", r.Err);
    }

    [Fact]
    public void Quickstart_writes_predictions_and_a_second_run_takes_a_new_folder()
    {
        var root = _tmp["runs"];
        var first = Cli.Run("quickstart", "--out", root, "--epochs", "2").AssertOk();
        var one = Path.Combine(root, "quickstart");
        var predictions = File.ReadAllLines(Path.Combine(one, "predictions.csv"));
        Assert.Equal("prediction,p_no,p_yes", predictions[0]);
        Assert.Equal(21, predictions.Length);
        Assert.Contains($"predictions for 20 held-out customers: {Path.Combine(one, "predictions.csv")}", first.Out);
        var before = TempFolder.Snapshot(one);

        var second = Cli.Run("quickstart", "--out", root, "--epochs", "2").AssertOk();
        var two = Path.Combine(root, "quickstart-2");
        Assert.True(File.Exists(Path.Combine(two, "predictions.csv")));
        Assert.Contains($"run folder: {two}", second.Out);
        var after = TempFolder.Snapshot(one);
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), file + " changed");
    }
}
