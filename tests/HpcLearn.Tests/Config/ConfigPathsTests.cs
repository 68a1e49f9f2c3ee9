using HpcLearn.Config;
using HpcLearn.Tasks;
using Xunit;

namespace HpcLearn.Tests.Config;

/// <summary>The input paths a config names, found generically in its data: section.</summary>
public sealed class ConfigPathsTests
{
    private static RunConfig Load(string yaml) =>
        ConfigLoader.LoadFromText(yaml, "test", [], t => TaskRegistry.Find(t)?.ConfigType);

    [Fact]
    public void Every_set_path_key_of_the_data_section_is_found_nested_ones_included()
    {
        var cfg = Load("task: recommend\ndata: {path: u1.base, test_path: u1.test, titles: {path: u.item}}\n");
        Assert.Equal([("data.path", "u1.base"), ("data.test_path", "u1.test"), ("data.titles.path", "u.item")], ConfigPaths.Inputs(cfg));
    }

    [Fact]
    public void Built_in_data_names_no_path()
    {
        Assert.Empty(ConfigPaths.Inputs(Load("task: tabular\ndata: {builtin_rows: 300}\n")));
        Assert.Empty(ConfigPaths.Inputs(Load("task: pde\n")));
    }
}
