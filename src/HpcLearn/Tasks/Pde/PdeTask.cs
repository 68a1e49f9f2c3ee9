using System.Diagnostics;
using System.Globalization;
using System.Text;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Runs.Metrics;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using TorchSharp;
using TorchSharp.PyBridge;

namespace HpcLearn.Tasks.Pde;

/// <summary>
/// Solve a PDE with a physics-informed neural network: a built-in equation (burgers, heat,
/// poisson) with its exact solution, Adam then L-BFGS, the relative L2 error against the exact
/// solution on the evaluation grid (baseline: u = 0, error 1), heat maps, slices and the loss curve.
/// </summary>
public sealed class PdeTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "pde";

    /// <summary>The primary metric.</summary>
    public const string ErrorMetric = "relative_l2_error";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "solve a PDE with a physics-informed network (burgers, heat, poisson), checked against the exact solution";

    /// <inheritdoc />
    public Type ConfigType => typeof(PdeConfig);

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((PdeConfig)config, context);

    /// <summary>Trains, evaluates on the grid, writes the run folder (rank 0; a PINN trains in one process).</summary>
    public RunSummary Train(PdeConfig config, RunContext ctx) => Train(config, ctx, config.Problem());

    /// <summary>As <see cref="Train(PdeConfig, RunContext)"/> for a problem of one's own (it needs <see cref="PdeProblem.Exact"/>).</summary>
    public RunSummary Train(PdeConfig config, RunContext ctx, PdeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Exact is null) throw new UserError($"the problem '{problem.Name}' has no exact solution to measure the error against; set PdeProblem.Exact");
        var log = ctx.Out;
        if (!ctx.IsRankZero) return new RunSummary { Task = Name };
        var options = config.ToPinnOptions();
        options.Validate(problem.Domain);
        using var session = RunSession.Open(Name, config, ctx);
        var folder = session.Folder;
        string yaml = session.Yaml;
        if (ctx.Communicator.Size > 1) log.WriteLine($"pde: trains in one process; ranks 1..{ctx.Communicator.Size - 1} stay idle");

        var clock = Stopwatch.StartNew();
        var (first, second) = problem.Domain.EvaluationGrid();
        var exact = problem.Exact!(first, second);
        double exactSeconds = clock.Elapsed.TotalSeconds;
        using var solver = new PinnSolver(problem, options);
        var d = problem.Domain;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pde: {problem.Name} on {d.Variables[0]} ∈ [{d.Lower[0]}, {d.Upper[0]}], {d.Variables[1]} ∈ [{d.Lower[1]}, {d.Upper[1]}]; network {string.Join("-", options.Layers)} {options.Activation} ({(options.Float64 ? "float64" : "float32")}), {solver.Model.parameters().Sum(p => p.numel()):N0} parameters; {options.CollocationPoints:N0} collocation points{(options.HardConstraints ? "; conditions built into the output (hard constraints)" : "")}"));
        var checkpoints = new PinnCheckpoints(folder.CheckpointDir, config.Train.KeepCheckpoints);
        var meta = PinnCheckpoints.Describe(solver, config, yaml);
        if (ctx.Resume) checkpoints.Resume(solver, meta, log);
        // Signals, the job's end, the budget (train.max_time) and a cancelled token: the solver polls between iterations.
        ctx.Stop.StartBudget(config.Train.MaxTimeSpan);
        string? saved = null;
        var result = solver.Train(log.WriteLine, report: () => string.Create(CultureInfo.InvariantCulture,
                $"relative L2 error {PinnSolver.RelativeL2(solver.Predict(first, second), exact):E3}"),
            stop: ctx.Stop.Poll, checkpoint: () => saved = checkpoints.Save(solver, meta),
            checkpointEvery: config.Pde.CheckpointEvery);
        WriteLoss(folder, result, ctx.TensorBoard);
        if (result.Stopped is { } why)
        {
            log.WriteLine($"stopped: {why}; checkpoint: {saved} (Adam {solver.AdamSteps} of {options.AdamIterations}, L-BFGS {solver.LbfgsIterations} of {options.LbfgsIterations} iterations)");
            // The weights so far, usable for predict; no evaluation on the grid (a deadline may be near).
            return session.Stopped(new RunOutcome
            {
                Model = solver.Model, Details = PdeArtifact.Of(solver).ToJson(),
                Metrics = new Dictionary<string, double> { ["final_loss"] = result.FinalLoss },
                Baseline = new Dictionary<string, double> { [ErrorMetric] = 1.0 },
                TrainSeconds = result.AdamSeconds + result.LbfgsSeconds,
                Summary = new RunSummary { MetricsJson = RunSummary.Wrap(new Dictionary<string, double> { ["final_loss"] = result.FinalLoss }) },
            }, why);
        }
        // The end state too, so that --resume with a larger budget or a lower tolerance can extend a finished run.
        if (result.Diverged is null) checkpoints.Save(solver, meta);
        if (result.Diverged is not null)
        {
            string kept = Path.Combine(folder.CheckpointDir, "last-good.safetensors");
            WriteFailure.CreateDirectory(folder.CheckpointDir);
            solver.Model.save_safetensors(kept);
            throw new UserError(string.Create(CultureInfo.InvariantCulture,
                $"{result.Diverged}; training stopped. The last good weights are in {kept} and the loss history in {Path.Combine(folder.Root, MetricsLog.FileName)}; try a lower pde.adam_learning_rate (now {NumberText.Short(options.AdamLearningRate)}) or model.float64: true"));
        }

        clock.Restart();
        var predicted = solver.Predict(first, second);
        double error = PinnSolver.RelativeL2(predicted, exact);
        double maxError = predicted.Cast<double>().Zip(exact.Cast<double>()).Max(p => Math.Abs(p.First - p.Second));
        string plots = Path.Combine(folder.Root, "plots");
        WriteFailure.CreateDirectory(plots);
        AtomicFile.WriteAllBytes(Path.Combine(plots, "solution.png"), PdePlots.Fields(d, first, second, predicted, exact));
        AtomicFile.WriteAllBytes(Path.Combine(plots, "slices.png"), PdePlots.Slices(d, first, second, predicted, exact));
        double evaluateSeconds = clock.Elapsed.TotalSeconds;

        int lbfgsIterations = result.Lbfgs?.Iterations ?? 0;
        var metrics = new Dictionary<string, double>
        {
            [ErrorMetric] = error,
            ["max_abs_error"] = maxError,
            ["final_loss"] = result.FinalLoss,
        };
        var baseline = new Dictionary<string, double> { [ErrorMetric] = 1.0 };
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"relative L2 error {error:E3} on the {first.Length} × {second.Length} grid (baseline u = 0: 1), max |error| {maxError:E3}, final loss {result.FinalLoss:E3}"));
        log.WriteLine($"plots written to {plots} (solution.png, slices.png, loss.png)");
        return session.Finish(new RunOutcome
        {
            Model = solver.Model,
            Details = PdeArtifact.Of(solver).ToJson(),
            Metrics = metrics,
            Baseline = baseline,
            // train_seconds: Adam and L-BFGS over every attempt (train_seconds_last_attempt: this one's).
            TrainSeconds = result.AdamSeconds + result.LbfgsSeconds,
            Summary = new RunSummary
            {
                PrimaryMetric = ErrorMetric,
                MetricsJson = RunSummary.Wrap(new Dictionary<string, double>(metrics)
                {
                    ["adam_iterations"] = result.AdamSteps,
                    ["lbfgs_iterations"] = lbfgsIterations,
                    ["lbfgs_evaluations"] = result.Lbfgs?.Evaluations ?? 0,
                }),
                Baseline = baseline,
                BaselineDescription = "u = 0 everywhere",
                BeatsBaseline = error < 1.0,
                StopReason = result.Lbfgs is { } l ? $"L-BFGS: {l.Reason}" : null,
            },
            Timings = new()
            {
                ["exact_seconds"] = Math.Round(exactSeconds, 3),
                ["adam_seconds"] = Math.Round(result.AdamSeconds, 3),
                ["lbfgs_seconds"] = Math.Round(result.LbfgsSeconds, 3),
                ["lbfgs_iterations_per_second"] = Math.Round(lbfgsIterations / Math.Max(result.LbfgsSeconds, 1e-9), 2),
                ["evaluate_seconds"] = Math.Round(evaluateSeconds, 3),
            },
        });
    }

    /// <summary>
    /// metrics.csv (step, empty epoch, loss, lbfgs: 0 for an Adam iteration, 1 for an L-BFGS
    /// evaluation), TensorBoard's loss every <see cref="MetricsLog.StepLogInterval"/> rows, and
    /// plots/loss.png: written even when training diverged.
    /// </summary>
    private static void WriteLoss(RunFolder folder, PinnResult result, bool tensorBoard)
    {
        var rows = result.Losses.Select((loss, i) => MetricsRow.Of(i + 1, null, ("loss", loss), ("lbfgs", i < result.AdamSteps ? 0 : 1))).ToList();
        using var log = new MetricsLog(folder.Root, tensorBoard, c => c == "loss" ? "loss/train" : null);
        log.Write(rows);
        for (int i = 0; i < rows.Count; i++)
            if ((i + 1) % log.StepLogInterval == 0 || i == rows.Count - 1) log.Scalars(rows[i]);
        WriteFailure.CreateDirectory(Path.Combine(folder.Root, "plots"));
        AtomicFile.WriteAllBytes(Path.Combine(folder.Root, "plots", "loss.png"), PdePlots.Loss(result.Losses, result.AdamSteps));
    }

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output)
    {
        var (artifact, model) = Load(modelDir);
        using (model)
        {
            var (points, _, rows) = PdePoints.Load(inputPath, artifact.Variables, requireU: false);
            var u = PinnSolver.Predict(model, points);
            int d = artifact.Variables.Length;
            output.WriteLine(string.Join(",", artifact.Variables) + ",u");
            var line = new StringBuilder();
            for (int r = 0; r < rows; r++)
            {
                line.Clear();
                for (int k = 0; k < d; k++) line.Append(CultureInfo.InvariantCulture, $"{points[r * d + k]:R},");
                line.Append(u[r].ToString("R", CultureInfo.InvariantCulture));
                output.WriteLine(line);
            }
            return rows;
        }
    }

    /// <inheritdoc />
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        var (artifact, model) = Load(modelDir);
        using (model)
        {
            var (points, u, rows) = PdePoints.Load(dataPath, artifact.Variables, requireU: true);
            var predicted = PinnSolver.Predict(model, points);
            double num = 0, den = 0;
            for (int r = 0; r < rows; r++) { num += (predicted[r] - u![r]) * (predicted[r] - u[r]); den += u[r] * u[r]; }
            double error = Math.Sqrt(num / den);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relative L2 error {error:E3} on {rows} points (baseline u = 0: 1)"));
            return new RunSummary
            {
                Task = Name, PrimaryMetric = ErrorMetric,
                MetricsJson = RunSummary.Wrap(new Dictionary<string, double> { [ErrorMetric] = error }),
                Baseline = new() { [ErrorMetric] = 1.0 }, BaselineDescription = "u = 0 everywhere", BeatsBaseline = error < 1.0,
            };
        }
    }

    private static (PdeArtifact Artifact, PinnModel Model) Load(string modelDir)
    {
        var manifest = ModelArtifact.LoadManifest(modelDir, Name);
        var artifact = PdeArtifact.FromJson(manifest.Details, modelDir);
        var model = artifact.CreateModel();
        try { ModelArtifact.LoadWeights(modelDir, model); }
        catch { model.Dispose(); throw; }
        return (artifact, model);
    }
}
