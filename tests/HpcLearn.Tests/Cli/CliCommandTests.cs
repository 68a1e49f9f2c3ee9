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
            Assert.Matches("(?m)^" + System.Text.RegularExpressions.Regex.Escape(line) + "( # [^\n]+)?$", r.Out);
        Assert.Contains("# vision: ", r.Out);
    }

    [Fact]
    public void Tasks_with_a_name_prints_only_that_task_each_key_with_its_description()
    {
        var r = Cli.Run("tasks", "tabular").AssertOk();
        Assert.StartsWith("# tabular: ", r.Out);
        Assert.DoesNotContain("# vision: ", r.Out);
        // From TrainOptions' XML doc comments, without the "Default 20." the value already says.
        Assert.Contains("  epochs: 20 # Passes over the training data.\n", r.Out);
        Assert.Contains("  lr: 0.003 # Peak learning rate.\n", r.Out);
        Assert.Matches("(?m)^# [^\n]+\ntrain:$", r.Out);   // a section's description above its key
        foreach (var line in r.Out.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)))
            Assert.Contains(" # ", line);
        // Still a config file: the printed YAML loads back as the defaults.
        File.WriteAllText(_tmp["tabular.yaml"], r.Out);
        var loaded = HpcLearn.Config.ConfigLoader.Load(_tmp["tabular.yaml"], [], name => HpcLearn.Tasks.TaskRegistry.Find(name)?.ConfigType);
        Assert.Equal(20, ((HpcLearn.Tasks.Tabular.TabularConfig)loaded).Train.Epochs);
    }

    [Theory]
    [InlineData("pde", new[] { "  keep_checkpoints: 3", "  max_time: null", "  adam_learning_rate: 0.001" }, new[] { "  epochs:", "  lr:", "  batch_size:", "  optimizer:" })]
    [InlineData("games", new[] { "  lr: 0.003", "  batch_size: 64", "  max_time: null", "  iterations: 10" }, new[] { "  epochs:", "  schedule:", "  calibrate:" })]
    [InlineData("text", new[] { "  lr: 0.001", "  grad_clip: 1", "  max_time: null", "  total: 2000" }, new[] { "  epochs:", "  schedule:", "  checkpoint_every: 1 " })]
    [InlineData("recommend", new[] { "  epochs: 10", "  max_time: null" }, new[] { "  calibrate:" })]
    public void Tasks_lists_only_the_keys_the_task_reads(string task, string[] listed, string[] left)
    {
        var r = Cli.Run("tasks", task).AssertOk();
        foreach (var line in listed)
            Assert.Matches("(?m)^" + System.Text.RegularExpressions.Regex.Escape(line) + "( # [^\n]+)?$", r.Out);
        foreach (var line in left) Assert.DoesNotContain(line, r.Out);
        // What it lists loads back: nothing it prints is a key the loader refuses.
        File.WriteAllText(_tmp[$"{task}.yaml"], r.Out);
        HpcLearn.Config.ConfigLoader.Load(_tmp[$"{task}.yaml"], [], name => HpcLearn.Tasks.TaskRegistry.Find(name)?.ConfigType);
    }

    [Fact]
    public void Tasks_with_an_unknown_name_is_one_line_with_the_nearest_task()
    {
        Cli.Run("tasks", "tabluar").AssertUserError("unknown task 'tabluar'; did you mean 'tabular'?");
        Cli.Run("tasks", "zzz").AssertUserErrorStartsWith("unknown task 'zzz'; known tasks: tabular, vision, ");
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
        r.AssertUserErrorStartsWith("unknown command 'frobnicate'");
        Assert.EndsWith("run 'hpclearn --help' (or 'hpclearn COMMAND --help') for usage" + Environment.NewLine, r.Err);
    }

    [Fact]
    public void Bare_hpclearn_prints_the_help_and_exits_0()
    {
        var r = Cli.Run().AssertOk();
        Assert.Equal(Cli.Run("--help").Out, r.Out);
        Assert.Contains("train", r.Out);
    }

    [Fact]
    public void A_mistyped_command_gets_the_nearest_one()
    {
        Cli.Run("trian").AssertUserError("unknown command 'trian'; did you mean 'train'?");
        Cli.Run("predcit", "model", "x.csv").AssertUserError("unknown command 'predcit'; did you mean 'predict'?");
    }

    [Fact]
    public void A_mistyped_option_gets_the_nearest_option_of_that_command()
    {
        // Unknown options are taken as the config argument by the parser: still named as options.
        Cli.Run("train", "--sett", "x").AssertUserError("unknown option '--sett'; did you mean '--set'?");
        Cli.Run("train", "config.yaml", "--sett", "train.epochs=1").AssertUserError("unknown option '--sett'; did you mean '--set'?");
        Cli.Run("evaluate", "model", "data.csv", "--jsn").AssertUserError("unknown option '--jsn'; did you mean '--json'?");
        var far = Cli.Run("train", "config.yaml", "--frobnicate");
        far.AssertUserError("unknown option '--frobnicate'; run 'hpclearn --help' (or 'hpclearn COMMAND --help') for usage");
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
