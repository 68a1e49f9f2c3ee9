using HpcLearn.Cluster.Sweeps;
using HpcLearn.Config;
using Xunit;

namespace HpcLearn.Tests.Cluster.Sweeps;

/// <summary>Grid expansion, random search and the grid's own errors.</summary>
public sealed class SweepGridTests
{
    [Fact]
    public void Every_combination_with_the_first_key_varying_slowest_and_lists_kept_whole()
    {
        var grid = SweepGrid.Parse(["train.lr=1e-3,3e-3", "model.layers=[64,32],[128]", "seed=1,2,3"]);

        var points = grid.All();

        Assert.Equal(12, grid.Size);
        Assert.Equal(Enumerable.Range(0, 12), points.Select(p => p.Index));
        Assert.Equal(["train.lr=1e-3", "model.layers=[64,32]", "seed=1"], points[0].Overrides);
        Assert.Equal(["train.lr=1e-3", "model.layers=[64,32]", "seed=2"], points[1].Overrides);
        Assert.Equal(["train.lr=1e-3", "model.layers=[128]", "seed=1"], points[3].Overrides);
        Assert.Equal(["train.lr=3e-3", "model.layers=[128]", "seed=3"], points[11].Overrides);
        Assert.Equal("train.lr=3e-3 model.layers=[128] seed=3", points[11].ToString());
    }

    [Fact]
    public void Random_search_draws_distinct_points_reproducibly_from_the_seed()
    {
        var grid = SweepGrid.Parse(["train.lr=1,2,3,4,5,6,7,8,9,10", "seed=1,2,3,4,5"]);

        var a = grid.Sample(7, seed: 3);
        var b = grid.Sample(7, seed: 3);
        var c = grid.Sample(7, seed: 4);

        Assert.Equal(7, a.Count);
        Assert.Equal(7, a.Select(p => p.ToString()).Distinct().Count());
        Assert.Equal(a.Select(p => p.ToString()), b.Select(p => p.ToString()));
        Assert.NotEqual(a.Select(p => p.ToString()), c.Select(p => p.ToString()));
        Assert.Equal(Enumerable.Range(0, 7), a.Select(p => p.Index));
        Assert.Subset(grid.All().Select(p => p.ToString()).ToHashSet(), a.Select(p => p.ToString()).ToHashSet());
        Assert.Equal(50, grid.Sample(50, seed: 0).Select(p => p.ToString()).Distinct().Count());
    }

    [Theory]
    [InlineData(new string[0], "sweep: the grid is empty; add at least one --grid KEY=V1,V2 (e.g. --grid train.lr=1e-3,3e-3)")]
    [InlineData(new[] { "train.lr" }, "--grid 'train.lr': expected KEY=V1,V2,... (e.g. train.lr=1e-3,3e-3)")]
    [InlineData(new[] { "=1,2" }, "--grid '=1,2': expected KEY=V1,V2,... (e.g. train.lr=1e-3,3e-3)")]
    [InlineData(new[] { "train..lr=1" }, "--grid 'train..lr=1': expected KEY=V1,V2,... (e.g. train.lr=1e-3,3e-3)")]
    [InlineData(new[] { "train.lr=" }, "--grid 'train.lr=': no values after '='; list them separated by commas (e.g. train.lr=1,2)")]
    [InlineData(new[] { "train.lr=1,,2" }, "--grid 'train.lr=1,,2': empty value between commas")]
    [InlineData(new[] { "train.lr=1", "train.lr=2" }, "--grid 'train.lr=2': 'train.lr' is already swept by another --grid; give all its values in one")]
    [InlineData(new[] { "name=a,b" }, "--grid 'name=a,b': 'name' is set by the sweep itself (each point's run folder is its index)")]
    public void Malformed_grids_are_clear_errors(string[] options, string message)
        => Assert.Equal(message, Assert.Throws<UserError>(() => SweepGrid.Parse(options)).Message);

    [Fact]
    public void Too_many_samples_and_too_large_grids_are_refused()
    {
        var grid = SweepGrid.Parse(["a=1,2", "b=1,2"]);
        Assert.Equal("--samples 5 is more than the 4 combinations of the grid; use at most 4, or leave --samples out for the whole grid",
            Assert.Throws<UserError>(() => grid.Sample(5, 0)).Message);
        Assert.Equal("--samples must be at least 1, got 0", Assert.Throws<UserError>(() => grid.Sample(0, 0)).Message);
        var huge = SweepGrid.Parse(["a=" + string.Join(',', Enumerable.Range(0, 40)), "b=" + string.Join(',', Enumerable.Range(0, 40))]);
        Assert.Equal("sweep: the grid has 1600 points, more than 1000 (Slurm's default array limit); sample some with --samples N",
            Assert.Throws<UserError>(() => huge.All()).Message);
        Assert.Equal(100, huge.Sample(100, 1).Count);
    }

    [Fact]
    public void The_point_table_round_trips()
    {
        var dir = Directory.CreateTempSubdirectory("hpclearn-sweep-").FullName;
        try
        {
            var points = SweepGrid.Parse(["train.lr=1e-3,3e-3", "model.layers=[64, 32]"]).All();
            PointTable.Write(dir, points);
            Assert.Equal("0\ttrain.lr=1e-3\tmodel.layers=[64, 32]\n1\ttrain.lr=3e-3\tmodel.layers=[64, 32]\n", File.ReadAllText(Path.Combine(dir, "points.tsv")));
            Assert.Equal(points, PointTable.Read(dir), (a, b) => a.Index == b.Index && a.Overrides.SequenceEqual(b.Overrides));
        }
        finally { Directory.Delete(dir, true); }
    }
}
