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
