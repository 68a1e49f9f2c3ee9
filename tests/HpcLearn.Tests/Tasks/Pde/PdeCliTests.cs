using HpcLearn.Tests.Cli;
using CliRunner = HpcLearn.Tests.Cli.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>The pde task through the command line: train a config, predict from a CSV of points.</summary>
[Collection("torch-rng")]
public sealed class PdeCliTests
{
    [Fact]
    public void Train_then_predict_through_the_cli()
    {
        using var dir = new TempFolder();
        string yaml = dir.Write("poisson.yaml", """
            task: pde
            name: poisson
            pde:
              equation: poisson
              boundary_points: 20
              collocation_points: 100
              adam_iterations: 10
              lbfgs_iterations: 30
            model:
              layers: [8]
              float64: true
            """);
        var train = CliRunner.Run("train", yaml, "--out", dir["runs"]).AssertOk(allowStderr: true);
        Assert.Contains("relative L2 error", train.Out);
        var r = CliRunner.Run("predict", dir["runs/poisson/model"], dir.Write("p.csv", "x,y\n0.5,0.5\n0,0.25\n")).AssertOk(allowStderr: true);
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("x,y,u", lines[0]);
        Assert.StartsWith("0.5,0.5,", lines[1]);
        Assert.StartsWith("0,0.25,", lines[2]);
        CliRunner.Run("predict", dir["runs/poisson/model"], dir.Write("q.csv", "x,t\n0,0\n"))
            .AssertUserError($"{dir["q.csv"]}: no column 'y'; this model needs the columns x,y");
    }
}
