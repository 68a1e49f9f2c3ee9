using HpcLearn.Config;
using HpcLearn.Tasks;
using Xunit;

namespace HpcLearn.Tests.Examples;

/// <summary>Every shipped config in examples/ loads as the CLI loads it: known task, known keys, valid values.</summary>
public sealed class ExampleConfigsTests
{
    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepoPaths.Examples, "*.yaml").Order(StringComparer.Ordinal)) data.Add(f);
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Loads_with_its_keys_and_values_accepted(string path)
    {
        var config = ConfigLoader.Load(path, [], name => TaskRegistry.Find(name)?.ConfigType, TaskRegistry.All.Select(t => t.Name).ToList());
        Assert.False(string.IsNullOrEmpty(config.RunName));
        Assert.IsType(TaskRegistry.Find(config.Task)!.ConfigType, config);
    }
}
