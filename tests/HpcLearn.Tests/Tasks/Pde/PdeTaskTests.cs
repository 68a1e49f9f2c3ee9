using System.Globalization;
using System.Text.Json;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Tasks.Pde;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Pde;

/// <summary>The pde task end to end: config → run folder → predict, the NaN stop, and config errors.</summary>
[Collection("torch-rng")]
public sealed class PdeTaskTests
{
    private const string HeatYaml = """
        task: pde
        name: heat
        seed: 5
        pde:
          equation: heat
          boundary_points: 40
          collocation_points: 200
          adam_iterations: 20
          lbfgs_iterations: 100
        model:
          layers: [12, 12]
          float64: true
        """;

    private static PdeConfig Load(TempFolder dir, string yaml, params string[] overrides) =>
        Assert.IsType<PdeConfig>(ConfigLoader.Load(dir.Write("heat.yaml", yaml), overrides, n => TaskRegistry.Find(n)?.ConfigType,
            TaskRegistry.All.Select(t => t.Name).ToList()));

    [Fact]
    public void The_accurate_burgers_example_loads_with_hard_constraints_in_float64()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "examples", "burgers-accurate.yaml"))) d = d.Parent;
        Assert.NotNull(d);
        var config = Assert.IsType<PdeConfig>(ConfigLoader.Load(Path.Combine(d.FullName, "examples", "burgers-accurate.yaml"), [],
            n => TaskRegistry.Find(n)?.ConfigType, TaskRegistry.All.Select(t => t.Name).ToList()));
        var options = config.ToPinnOptions();
        Assert.True(options.HardConstraints);
        Assert.True(options.Float64);
        Assert.Equal(0, options.AdamIterations);
        Assert.Equal([2, 20, 20, 20, 20, 20, 20, 20, 20, 1], options.Layers);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Train_writes_summary_model_and_plots_and_predict_reproduces_the_error(bool hard)
    {
        using var dir = new TempFolder();
        var config = Load(dir, HeatYaml, $"pde.hard_constraints={hard.ToString().ToLowerInvariant()}");
        var summary = new PdeTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = dir["runs"] });
        string run = dir["runs/heat"];
        foreach (var f in new[] { "config.yaml", "summary.json", "metrics.csv", "model/model.json", "model/model.safetensors", "plots/solution.png", "plots/slices.png", "plots/loss.png" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
        double reported = json.RootElement.GetProperty("relative_l2_error").GetDouble();
        Assert.Equal(summary.Metrics[PdeTask.ErrorMetric], reported);
        Assert.True(reported < 0.1, $"relative L2 error {reported}");
        Assert.True(json.RootElement.GetProperty("beats_baseline").GetBoolean());
        Assert.Contains($"\"hard_constraints\": {hard.ToString().ToLowerInvariant()}", File.ReadAllText(Path.Combine(run, "model/model.json")));

        // predict on the whole evaluation grid: the error against the exact solution is the reported one.
        var (xs, ts) = PdeDomain.SpaceTime(-1, 1, 0, 1).EvaluationGrid();
        var csv = new System.Text.StringBuilder("x,t\n");
        foreach (var x in xs) foreach (var t in ts) csv.Append(CultureInfo.InvariantCulture, $"{x:R},{t:R}\n");
        var output = new StringWriter();
        int rows = new PdeTask().Predict(Path.Combine(run, "model"), dir.Write("grid.csv", csv.ToString()), output);
        Assert.Equal(xs.Length * ts.Length, rows);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x,t,u", lines[0]);
        double num = 0, den = 0;
        foreach (var line in lines.Skip(1))
        {
            var v = line.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            double exact = Math.Exp(-0.1 * Math.PI * Math.PI * v[1]) * Math.Sin(Math.PI * v[0]);
            num += (v[2] - exact) * (v[2] - exact);
            den += exact * exact;
        }
        Assert.Equal(reported, Math.Sqrt(num / den), 1e-9);
    }

    [Fact]
    public void A_NaN_loss_stops_with_a_message_and_keeps_what_was_written()
    {
        using var dir = new TempFolder();
        var config = Load(dir, HeatYaml);
        int calls = 0;
        Scalar minusK = -0.1;
        using var nan = tensor(double.NaN, dtype: ScalarType.Float64);
        var problem = PdeProblems.Heat(0.1, 40) with { Residual = f => ++calls > 6 ? f.Ut.mul(nan) : f.Ut.add(f.Uxx, minusK) };
        var e = Assert.Throws<UserError>(() => new PdeTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = dir["runs"] }, problem));
        string run = dir["runs/heat"];
        Assert.Equal($"the loss became NaN at Adam iteration 6; training stopped. The last good weights are in {run}/checkpoints/last-good.safetensors "
            + $"and the loss history in {run}/metrics.csv; try a lower pde.adam_learning_rate (now 0.001) or model.float64: true", e.Message);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints/last-good.safetensors")));
        Assert.Equal(6, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);   // header + 5 finite Adam losses
        Assert.True(File.Exists(Path.Combine(run, "config.yaml")));
        Assert.False(Directory.Exists(Path.Combine(run, "model")));
        Assert.False(File.Exists(Path.Combine(run, "summary.json")));
    }

    [Fact]
    public void A_cancelled_stop_token_ends_training_at_the_next_iteration_with_a_checkpoint()
    {
        using var dir = new TempFolder();
        var config = Load(dir, HeatYaml);
        var summary = new PdeTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = dir["runs"], Stop = new RunStop(new CancellationToken(canceled: true)) });
        Assert.True(summary.Interrupted);
        Assert.Equal(RunStop.CancelledReason, summary.StopReason);
        string run = Path.Combine(dir["runs"], "heat");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "checkpoints"), "step-*.ckpt"));
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(run, PdeTask.Name, RunStop.CancelledReason);
    }

    [Fact]
    public void The_time_budget_stops_the_solver_and_says_so()
    {
        using var dir = new TempFolder();
        var config = Load(dir, HeatYaml, "train.max_time=00:00:05");
        var log = new StringWriter();
        // One second per look: the budget runs out after five of the solver's polls, long before its 120 iterations.
        var clock = new HpcLearn.Tests.Cluster.TickingClock(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1));
        var summary = new PdeTask().Train(config, new RunContext { Out = log, RunsRoot = dir["runs"], Stop = new RunStop(clock: clock) });
        Assert.True(summary.Interrupted, log.ToString());
        Assert.Equal("time budget reached (train.max_time 00:00:05)", summary.StopReason);
        Assert.Contains("stopped: time budget reached (train.max_time 00:00:05); checkpoint: ", log.ToString());
    }

    [Theory]
    [InlineData("pde.collocation_points=0", "'pde.collocation_points' must be at least 1 (got 0): the PDE residual needs points inside the domain")]
    [InlineData("pde.equation=wave", "'pde.equation' is 'wave'; use one of burgers, heat, poisson")]
    [InlineData("model.activation=relu", "'model.activation' is 'relu'; use tanh or sin")]
    [InlineData("pde.refine_rounds=-1", "'pde.refine_rounds' must be at least 0 (got -1)")]
    [InlineData("pde.refine_points=0", "'pde.refine_points' must be at least 1 (got 0)")]
    [InlineData("pde.refine_candidates=10", "'pde.refine_candidates' must be at least refine_points (1000; got 10): the added points are the worst of the candidates")]
    [InlineData("pde.refine_iterations=0", "'pde.refine_iterations' must be at least 1 (got 0)")]
    [InlineData("device=cuda", "'device' is 'cuda', but the pde task runs on the CPU only; set device: cpu")]
    public void Bad_config_values_name_the_key(string set, string expected)
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<UserError>(() => Load(dir, HeatYaml, set));
        Assert.Equal($"--set {set}: {expected}", e.Message);
    }

    [Fact]
    public void Predict_refuses_a_hard_constrained_model_of_an_equation_it_does_not_know()
    {
        using var dir = new TempFolder();
        var config = Load(dir, HeatYaml, "pde.hard_constraints=true", "pde.adam_iterations=0", "pde.lbfgs_iterations=1");
        new PdeTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = dir["runs"] });
        string model = dir["runs/heat/model"];
        string json = Path.Combine(model, "model.json");
        File.WriteAllText(json, File.ReadAllText(json).Replace("\"equation\": \"heat\"", "\"equation\": \"mine\""));
        var e = Assert.Throws<UserError>(() => new PdeTask().Predict(model, dir.Write("p.csv", "x,t\n0,0.5\n"), new StringWriter()));
        Assert.Equal("the model of 'mine' was trained with its conditions built into the output, which only the C# problem knows; predict with PinnSolver.Predict in your own code", e.Message);
    }

    [Fact]
    public void Predict_refuses_points_without_the_model_variables()
    {
        using var dir = new TempFolder();
        var config = Load(dir, HeatYaml, "pde.adam_iterations=0", "pde.lbfgs_iterations=1");
        new PdeTask().Train(config, new RunContext { Out = TextWriter.Null, RunsRoot = dir["runs"] });
        var e = Assert.Throws<UserError>(() => new PdeTask().Predict(dir["runs/heat/model"], dir.Write("p.csv", "x,y\n0,0\n"), TextWriter.Null));
        Assert.Equal($"{dir["p.csv"]}: no column 't'; this model needs the columns x,t", e.Message);
    }
}
