using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Runs;
using HpcLearn.Runs.Reports;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using TorchSharp;

namespace HpcLearn.Tasks.Clustering;

/// <summary>
/// Clustering as a task (<c>task: cluster</c>; <c>hpclearn cluster DATA ...</c> is the short form):
/// k-means, mini-batch k-means, a Gaussian mixture or DBSCAN on the numeric columns of a table, measured
/// by the silhouette against a random assignment (and the inertia against one cluster). The run folder
/// holds config.yaml, summary.json, metrics.csv, tensorboard/, assignments.csv, centres.csv,
/// k-selection.csv (for a k range), plots/ and model/ (the centres in safetensors, for <c>hpclearn predict</c>).
/// </summary>
public sealed class ClusterTask : IMLTask
{
    /// <summary>The task's name in configs and model folders.</summary>
    public const string Name = ClusterModel.TaskName;

    /// <summary>The primary metric.</summary>
    public const string PrimaryMetric = "silhouette";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "cluster a table (k-means, mini-batch k-means, Gaussian mixture or DBSCAN): assignments, centres, metrics against one cluster and a random assignment, plots";

    /// <inheritdoc />
    public Type ConfigType => typeof(ClusterConfig);

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((ClusterConfig)config, context);

    /// <summary>
    /// Fits, measures and writes the run folder (rank 0). Under MPI every rank calls this: k-means and
    /// mini-batch k-means split the rows over <see cref="RunContext.Communicator"/>'s ranks.
    /// A stop (signal, the job's end time) ends the fit early; the model reached is still written and the
    /// summary is marked interrupted. There are no checkpoints: a stopped run is started again.
    /// </summary>
    public RunSummary Train(ClusterConfig config, RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(ctx);
        Check(config);
        if (ctx.Resume)
            throw new UserError($"--resume: the cluster task keeps no checkpoints (a fit is redone from the data); start the run again without --resume, under another name (--set name=...) or after removing {Path.Combine(ctx.RunsRoot, config.RunName)}");
        string path = Path.Combine(ctx.RunsRoot, config.RunName);
        // Before the data are read (on every rank: they all stop, none waits in a collective).
        if (!ctx.RestartFailedAttempt && !ctx.FreshFolder && RunFolder.IsStarted(path))
            throw new UserError($"run folder '{path}' already exists; choose another name (--set name=...) or --out DIR, or remove it");
        var total = Stopwatch.StartNew();
        string yaml = ConfigWriter.ToYaml(config);
        string? stopped = null;
        var options = config.ToRunOptions(torch.get_num_threads(), () => (stopped ??= StopReason(ctx)) is not null);
        RunFolder? folder = null;
        RunInputs? inputs = null;
        try
        {
            var result = ClusterRun.Run(options, ctx.Out, ctx.Communicator, () =>
            {
                folder = RunFolder.Open(ctx, config.RunName);
                AtomicFile.WriteAllText(folder.ConfigPath, yaml);
                inputs = RunSession.RecordInputs(config, ctx, folder.Root);
                return folder.Root;
            });
            if (result is null) return new RunSummary { Task = Name }; // ranks other than 0 write nothing
            return Finish(config, ctx, folder!, yaml, inputs, result, result.Stopped ? stopped : null, total.Elapsed.TotalSeconds);
        }
        finally
        {
            folder?.Dispose();
        }
    }

    /// <summary>
    /// Whether <paramref name="outDir"/> already holds output (for <c>hpclearn cluster --out</c>, which names
    /// the run folder itself): it exists and has anything but the job files of <c>cluster --submit</c>
    /// (<c>job.sbatch</c>, <c>job.log</c>, <c>job.id</c>), which are written before the job runs.
    /// </summary>
    public static bool OutputFolderTaken(string outDir) =>
        Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir)
            .Any(e => !Path.GetFileName(e).StartsWith(RunFolder.JobFilePrefix, StringComparison.Ordinal) || Directory.Exists(e));

    /// <summary>
    /// Why to stop now (the run's stop token: a signal, the job's end time, the time budget, a
    /// cancelled token), or null to go on. The one place the cluster task polls: the k-means loops
    /// ask it through <see cref="ClusterRunOptions.Stop"/>.
    /// </summary>
    private static string? StopReason(RunContext ctx) => ctx.Stop.Poll();

    // Config problems for a config not bound from YAML (the C# API, the short form): the binder's checks, with the key.
    private static void Check(ClusterConfig config)
    {
        var sections = new (string Prefix, IValidatable Section)[] { ("data.", config.Data), ("model.", config.Model), ("", config) };
        foreach (var (prefix, section) in sections)
            foreach (var (key, message) in section.Validate())
                throw new UserError($"'{prefix}{key}' {message}");
    }

    private RunSummary Finish(ClusterConfig config, RunContext ctx, RunFolder folder, string yaml, RunInputs? inputs, ClusterRunResult result, string? stopReason, double totalSeconds)
    {
        var log = ctx.Out;
        var manifest = new ModelManifest
        {
            Task = Name,
            Metrics = result.Metrics,
            Baseline = result.Baseline,
            Provenance = Provenance.Of(config.Seed, yaml, ctx.Environment).With(inputs),
        };
        result.Model.Save(folder.ModelDir, manifest);
        ClusterMetricsLog.Write(folder.Root, result.History, ctx.TensorBoard);

        // summary.json: the shared keys (task, primary metric, baseline, timings) and the clustering's own (k, metrics, sizes, ...).
        var extra = result.Summary.Where(p => p.Value is not null && p.Key != "epochs")
            .ToDictionary(p => p.Key, p => (object)JsonSerializer.Deserialize<JsonElement>(p.Value!.ToJsonString()));
        double sil = result.Metrics.GetValueOrDefault(PrimaryMetric, double.NaN);
        var summary = new RunSummary
        {
            Task = Name,
            RunDir = folder.Root,
            PrimaryMetric = PrimaryMetric,
            MetricsJson = extra,
            Baseline = result.Baseline,
            BaselineDescription = ClusterBaselines.Description,
            BeatsBaseline = result.Baseline.TryGetValue(PrimaryMetric, out double random) && sil > random,
            Epochs = result.Summary["epochs"]?.GetValue<int>() ?? 0,
            StopReason = stopReason,
            Interrupted = stopReason is not null,
            Threads = torch.get_num_threads(),
            Timings = folder.TrainTime(result.FitSeconds).AddTo(new()
            {
                ["fit_seconds"] = Math.Round(result.FitSeconds, 3),
                ["total_seconds"] = Math.Round(totalSeconds, 3),
            }),
        };
        AtomicFile.WriteAllText(folder.SummaryPath, summary.ToJson());
        if (stopReason is null) RunReport.Build(folder.Root);
        if (result.Baseline.TryGetValue(PrimaryMetric, out double b))
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline: silhouette {b:0.####} for a random assignment to the same clusters{(result.Baseline.TryGetValue("inertia", out double i) ? $", inertia {ClusterFits.Fmt(i)} for one cluster" : "")}"));
        if (stopReason is not null) log.WriteLine($"stopped: {stopReason}; the model reached so far is written (there are no checkpoints: run it again to fit to the end)");
        string kSelection = File.Exists(Path.Combine(folder.Root, "k-selection.csv")) ? ", k-selection.csv" : "";
        log.WriteLine($"wrote {folder.Root} (assignments.csv, centres.csv, summary.json{kSelection}, metrics.csv, {(stopReason is null ? "report.html, " : "")}plots/, model/); assign new points with: hpclearn predict {folder.ModelDir} NEW.csv");
        return summary;
    }

    /// <summary>The cluster of each row of <paramref name="inputPath"/> (by the model's columns): a <c>cluster</c> column.</summary>
    public int Predict(string modelDir, string inputPath, TextWriter output) => ClusterModel.Load(modelDir).Predict(inputPath, output);

    /// <summary>
    /// The model's clustering of the rows of <paramref name="dataPath"/> measured as in training:
    /// silhouette, Davies–Bouldin, Calinski–Harabasz (and inertia for a k-means model) beside a random
    /// assignment's silhouette and one cluster's inertia.
    /// </summary>
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        var model = ClusterModel.Load(modelDir);
        var table = TableSource.Load(dataPath);
        foreach (var c in model.Columns)
            if (table.Find(c) is null)
                throw new UserError($"{dataPath}: no column '{c}', which the model needs; it expects {string.Join(", ", model.Columns.Select(x => $"'{x}'"))}");
        var input = ClusterInput.From(table, model.Columns, null, dropMissing: false);
        int n = input.N, d = input.D;
        var labels = model.Assign(input.Data, n);
        var x = model.Scaling.Apply(input.Data, d);
        var o = new ClusterRunOptions { DataPath = dataPath, Algorithm = model.Algorithm };
        var metrics = new Dictionary<string, double>
        {
            [PrimaryMetric] = ClusterFits.Silhouette(x, n, d, labels, o),
            ["davies_bouldin"] = ClusterFits.DaviesBouldin(x, n, d, labels),
            ["calinski_harabasz"] = ClusterFits.CalinskiHarabasz(x, n, d, labels),
        };
        if (model.Algorithm is ClusterAlgorithm.KMeans or ClusterAlgorithm.MiniBatchKMeans)
            metrics["inertia"] = ClusterMetrics.Inertia(x, n, d, model.Centres, labels);
        var baseline = ClusterBaselines.Of(x, n, d, labels, o, ClusterBaselines.OneClusterInertia(x, n, d));
        double sil = metrics[PrimaryMetric];
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{n} rows: silhouette {ClusterFits.Fmt(sil)} (a random assignment: {(baseline.TryGetValue(PrimaryMetric, out double r) ? ClusterFits.Fmt(r) : "n/a")}), Davies-Bouldin {ClusterFits.Fmt(metrics["davies_bouldin"])}, Calinski-Harabasz {ClusterFits.Fmt(metrics["calinski_harabasz"])}"));
        return new RunSummary
        {
            Task = Name, PrimaryMetric = PrimaryMetric,
            MetricsJson = RunSummary.Wrap(metrics.Where(m => double.IsFinite(m.Value)).ToDictionary()),
            Baseline = baseline, BaselineDescription = ClusterBaselines.Description,
            BeatsBaseline = baseline.TryGetValue(PrimaryMetric, out double rs) && sil > rs,
        };
    }
}
