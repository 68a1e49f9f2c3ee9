using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Config;

public class ConfigLoaderTests
{
    [Fact]
    public void Load_ReadsTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hpclearn-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "task: sample\nname: demo\n");
        try
        {
            var c = Assert.IsType<SampleConfig>(ConfigLoader.Load(path, ["seed=3"], Sample.TypeFor));
            Assert.Equal(("demo", 3), (c.RunName, c.Seed));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_SaysNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hpclearn-{Guid.NewGuid():N}", "x.yaml");
        var e = Assert.Throws<UserError>(() => ConfigLoader.Load(path, [], Sample.TypeFor));
        Assert.Equal($"config file '{path}' not found", e.Message);
    }

    [Theory]
    [InlineData("task: sample\ntrain:\n  epochs: 5\n bad: 1\n", "config.yaml:4: invalid YAML: ")]
    [InlineData("task: sample\nname: 'open\n", "config.yaml:2: invalid YAML: ")]
    [InlineData("task: sample\nmodel:\n  layers: [1, 2\n", "config.yaml:4: invalid YAML: ")]
    [InlineData("task: sample\nmodel:\n  layers: [1, 2\nseed: 3\n", "config.yaml:3: invalid YAML: ")]
    public void SyntaxError_NamesTheLineAndTheParsersReason(string yaml, string prefix)
    {
        var message = Sample.Error(yaml);
        Assert.StartsWith(prefix, message);
        Assert.True(message.Length > prefix.Length + 5, message);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("  layers: ", "[", "]", 3)]
    [InlineData("  layers: ", "{a: ", "}", 3)]
    [InlineData("  layers:\n    ", "- ", "", 4)] // block lists, compact: "- - - 1"
    public void Nesting_100000Deep_IsOneLineNotAStackOverflow(string key, string open, string close, int line)
    {
        // YamlDotNet builds its tree recursively: 100,000 levels used to kill the process.
        var yaml = "task: sample\nmodel:\n" + key + string.Concat(Enumerable.Repeat(open, 100_000)) + "1"
            + string.Concat(Enumerable.Repeat(close, 100_000)) + "\n";
        Assert.Equal($"config.yaml:{line}: lists and mappings are nested more than 64 deep; "
            + "a config needs a few levels (e.g. model: {layers: [64, 32]}): is a bracket repeated or not closed?", Sample.Error(yaml));
    }

    [Fact]
    public void Nesting_UpToTheLimit_StillParses()
    {
        // 62 levels of lists inside the top mapping and 'model': 64 in all, the most allowed.
        var yaml = "task: sample\nmodel:\n  layers: " + new string('[', 62) + new string(']', 62) + "\n";
        Assert.Equal("config.yaml:3: 'model.layers[0]' expects an integer, got a list", Sample.Error(yaml));
        Assert.Contains("nested more than 64 deep", Sample.Error(yaml.Replace("[]", "[[]]")));
    }

    [Theory]
    [InlineData("task: foo\n", "config.yaml:1: unknown task 'foo'")]
    [InlineData("seed: 1\n", "config.yaml:1: missing key 'task' (which task to run)")]
    [InlineData("", "config.yaml:1: missing key 'task' (which task to run)")]
    [InlineData("- task: sample\n", "config.yaml:1: expected a mapping of keys at the top level (e.g. 'task: ...'), got a list")]
    [InlineData("seed: 1\ntask: [a]\n", "config.yaml:2: 'task' expects a task name, got a list")]
    public void Task_MustNameAKnownTask(string yaml, string expected) =>
        Assert.Equal(expected, Sample.Error(yaml));

    [Fact]
    public void Task_LookupMayThrowItsOwnError()
    {
        var e = Assert.Throws<UserError>(() => ConfigLoader.LoadFromText(
            "task: foo\n", "config.yaml", [], t => throw new UserError($"unknown task '{t}'; tasks: sample")));
        Assert.Equal("unknown task 'foo'; tasks: sample", e.Message);
    }
}
