using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Runs;

/// <summary>
/// One run's lifecycle, the same for every task. <see cref="Open"/>: rank 0 opens and locks the run
/// folder (other ranks attach to its path and write nothing), writes config.yaml (not on resume),
/// seeds libtorch with the run's seed and prints the header. At the end, <see cref="Finish"/> writes
/// the model folder (weights + model.json with provenance), summary.json (training time over every
/// attempt) and the report; <see cref="Stopped"/> does the same for a run stopped before its end
/// (the last or best weights, summary.json saying it was interrupted), so that a stopped run is
/// usable; <see cref="Diverged"/> is the error of a run whose loss blew up. The task keeps only what
/// is its own: data, model, loop, metrics and evaluation.
/// </summary>
public sealed class RunSession : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double? _loadSeconds;

    private RunSession(string task, RunConfig config, RunContext ctx, RunFolder folder, double? loadSeconds)
    {
        (Task, Config, Context, Folder, _loadSeconds) = (task, config, ctx, folder, loadSeconds);
        Yaml = ConfigWriter.ToYaml(config);
    }

    /// <summary>The task's name (model.json, summary.json).</summary>
    public string Task { get; }

    /// <summary>The resolved config.</summary>
    public RunConfig Config { get; }

    /// <summary>Output, runs root, resume flag, communicator, stop token.</summary>
    public RunContext Context { get; }

    /// <summary>The run folder (on ranks other than 0: its path only).</summary>
    public RunFolder Folder { get; }

    /// <summary>The resolved config as YAML (config.yaml, checkpoints, provenance).</summary>
    public string Yaml { get; }

    /// <summary>Where progress goes.</summary>
    public TextWriter Log => Context.Out;

    /// <summary>Whether this process writes the run folder.</summary>
    public bool IsRankZero => Context.IsRankZero;

    /// <summary>
    /// Starts the run of <paramref name="task"/>: opens the run folder (rank 0, locked; a new run
    /// refuses an existing folder unless the context says otherwise) or attaches to it (other ranks),
    /// writes config.yaml on a new run, seeds libtorch with <c>seed</c> and prints the run folder and task lines.
    /// </summary>
    /// <param name="task">The task's name.</param>
    /// <param name="config">The resolved config (name, seed).</param>
    /// <param name="ctx">Output, runs root, resume and fresh-folder flags, communicator.</param>
    /// <param name="loadSeconds">Seconds the task spent loading data before the run began (summary.json's
    /// <c>load_seconds</c>, and part of <c>total_seconds</c>); null when it loads nothing first.</param>
    public static RunSession Open(string task, RunConfig config, RunContext ctx, double? loadSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ctx);
        var folder = ctx.IsRankZero ? RunFolder.Open(ctx, config.RunName) : RunFolder.At(ctx.RunsRoot, config.RunName);
        try
        {
            var session = new RunSession(task, config, ctx, folder, loadSeconds);
            if (ctx.IsRankZero && !ctx.Resume) AtomicFile.WriteAllText(folder.ConfigPath, session.Yaml);
            ctx.Out.WriteLine($"run folder: {folder.Root}");
            ctx.Out.WriteLine($"task: {task}, seed {config.Seed}{(ctx.Resume ? ", resuming" : "")}");
            TorchRuntime.PrepareKernels(); // before inputs.json records the matrix kernels, and before any product
            if (ctx.IsRankZero) session.Inputs = RecordInputs(config, ctx, folder.Root);
            torch.manual_seed(config.Seed);
            return session;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// inputs.json (rank 0): the run's inputs and settings, recorded when a new run starts (<see cref="RecordInputs"/>); null on other ranks.
    /// </summary>
    public RunInputs? Inputs { get; private set; }

    /// <summary>
    /// A new run: hashes its inputs and writes inputs.json into <paramref name="runDir"/>, printing the
    /// fingerprint. A resumed run reads the one its start wrote and warns when an input changed since.
    /// </summary>
    public static RunInputs? RecordInputs(RunConfig config, RunContext ctx, string runDir)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ctx);
        // Not stopped by ctx.Stop: the folder is open, and a stop now is the loop's to handle (with a
        // model and summary); the hash takes about a second per GB, after which the loop polls.
        if (ctx.Resume && RunInputs.TryRead(runDir) is { } earlier)
        {
            if (earlier.FirstChange() is { } change)
                ctx.Out.WriteLine($"warning: {change}; the resumed run reads it as it is now, and 'hpclearn rerun' will refuse this run");
            return earlier;
        }
        var inputs = RunInputs.Record(config, torch.get_num_threads(), ctx.Communicator.Size);
        inputs.Write(runDir);
        ctx.Out.WriteLine(inputs.Inputs.Count == 0
            ? $"inputs: {inputs.Summary}"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"inputs: fingerprint {inputs.Summary}, hashed in {inputs.HashSeconds:0.###} s"));
        return inputs;
    }

    /// <summary>A <see cref="System.Random"/> for <paramref name="stream"/> on this rank (<see cref="Seeds.Derive"/>).</summary>
    public Random Random(SeedStream stream) => Seeds.Random(Config.Seed, stream, Context.Communicator.Rank);

    /// <summary>The model.json provenance of this run: version, build, git commit, seed, config, Slurm job id, threads, ranks, inputs digest.</summary>
    public Provenance Provenance() => Runs.Provenance.Of(Config.Seed, Yaml, Context.Environment).With(Inputs);

    /// <summary>
    /// The finished run: writes model/ (weights and model.json), summary.json and the report (rank 0),
    /// says where, and returns the summary. Other ranks write nothing and get the summary's frame.
    /// </summary>
    public RunSummary Finish(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var summary = Complete(outcome, interrupted: false);
        if (!IsRankZero) return summary;
        Write(outcome, summary);
        Log.WriteLine($"model written to {Folder.ModelDir}");
        try
        {
            Log.WriteLine($"report written to {Reports.RunReport.Build(Folder.Root)}");
        }
        catch (UserError e)
        {
            // The model and summary are written: a report that cannot be drawn (a task whose run
            // folder the report does not read yet) must not fail the run; 'hpclearn report' says the same.
            Log.WriteLine($"report: not written ({e.Message})");
        }
        return summary;
    }

    /// <summary>
    /// A run stopped before its end (a signal, the job's end time, a cancelled token): its checkpoint
    /// is what <c>--resume</c> continues, and this writes beside it a usable model of the weights the
    /// task hands over (the last or the best) with summary.json marked <c>interrupted</c>, so that
    /// <c>predict</c> works on a stopped run. <paramref name="reason"/> is the stop reason.
    /// </summary>
    public RunSummary Stopped(RunOutcome outcome, string? reason)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var summary = Complete(outcome with { Summary = outcome.Summary with { StopReason = reason ?? outcome.Summary.StopReason } }, interrupted: true);
        if (!IsRankZero) return summary;
        Write(outcome, summary);
        Log.WriteLine($"model of the weights so far written to {Folder.ModelDir} (unfinished: --resume continues from the checkpoint)");
        return summary;
    }

    /// <summary>
    /// The error that ends a run whose loss became NaN or infinite: <paramref name="what"/> happened,
    /// the last good checkpoint is kept, and <paramref name="advice"/> says what to try.
    /// </summary>
    public UserError Diverged(string what, string advice) =>
        new($"{what}; the last good checkpoint is kept in {Folder.CheckpointDir}; {advice}");

    /// <summary>The usual advice of <see cref="Diverged"/> for a run driven by <c>train.lr</c>.</summary>
    public static string LowerLearningRate(double learningRate) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"try a lower train.lr (now {learningRate:G3}) or set train.grad_clip: 1.0");

    /// <summary>Releases the run folder (rank 0's lock), recording this attempt's training time.</summary>
    public void Dispose() => Folder.Dispose();

    private RunSummary Complete(RunOutcome outcome, bool interrupted)
    {
        var timings = new Dictionary<string, double>();
        if (_loadSeconds is { } load) timings["load_seconds"] = Math.Round(load, 3);
        foreach (var (key, value) in outcome.Timings) timings[key] = value;
        timings["total_seconds"] = Math.Round((_loadSeconds ?? 0) + _clock.Elapsed.TotalSeconds, 3);
        return outcome.Summary with
        {
            Task = Task,
            RunDir = Folder.Root,
            Interrupted = interrupted,
            Threads = torch.get_num_threads(),
            // Every attempt's training time, not only this one's: right after a resume too.
            Timings = IsRankZero ? Folder.TrainTime(outcome.TrainSeconds).AddTo(timings) : timings,
        };
    }

    private void Write(RunOutcome outcome, RunSummary summary)
    {
        var manifest = new ModelManifest
        {
            Task = Task,
            Metrics = outcome.Metrics.ToDictionary(),
            Baseline = outcome.Baseline.ToDictionary(),
            Provenance = Provenance(),
            Details = outcome.Details,
        };
        // Model folders hold CPU weights.
        if (outcome.Model.parameters().Any(p => p.device_type != DeviceType.CPU)) outcome.Model.cpu();
        ModelArtifact.Save(Folder.ModelDir, outcome.Model, manifest);
        AtomicFile.WriteAllText(Folder.SummaryPath, summary.ToJson());
    }
}
