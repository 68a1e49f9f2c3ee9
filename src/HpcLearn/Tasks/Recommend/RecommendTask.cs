using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Collaborative filtering from (user, item, rating) triples: biased matrix factorisation or a
/// neural variant trained with the Learner, scored by RMSE, MAE and top-k metrics beside the
/// global-mean, user-mean, item-mean, user+item-biases and popularity baselines.
/// </summary>
public sealed class RecommendTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "recommend";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "rate and recommend items from (user, item, rating) data: matrix factorisation or embeddings + MLP (MovieLens formats read directly)";

    /// <inheritdoc />
    public Type ConfigType => typeof(RecommendConfig);

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((RecommendConfig)config, context).Summary;

    /// <summary>Trains and returns the summary with the run folder, the data and the scores.</summary>
    public RecommendRun Train(RecommendConfig config, RunContext ctx)
    {
        var total = Stopwatch.StartNew();
        var log = ctx.Out;
        var device = TorchRuntime.ResolveDevice(config.Device);
        var data = RecommendData.Prepare(config, log);
        var baselines = RatingBaselines.Fit(data.Train, data.Users.Count, data.Items.Count, data.Min, data.Max);
        double loadSeconds = total.Elapsed.TotalSeconds;

        var comm = ctx.Communicator;
        var folder = ctx.IsRankZero
            ? RunFolder.Open(ctx.RunsRoot, config.RunName, ctx.Resume, ctx.FreshFolder)
            : RunFolder.At(ctx.RunsRoot, config.RunName);
        string yaml = ConfigWriter.ToYaml(config);
        if (!ctx.Resume && ctx.IsRankZero) AtomicFile.WriteAllText(folder.ConfigPath, yaml);
        log.WriteLine($"run folder: {folder.Root}");
        if (comm.Size > 1) log.WriteLine($"data parallel: {comm.Size} ranks ({comm.Name}), batch {config.Train.BatchSize} per rank");

        torch.manual_seed(config.Seed);
        using var model = RecommendModels.Create(config.Model, data.Users.Count, data.Items.Count, data.Min, data.Max);
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        var (inputs, target) = RecommendData.Tensors(data.Train);
        var train = new TensorDataLoader(inputs, target, config.Train.BatchSize, shuffle: true, config.Seed, comm.Rank, comm.Size);
        var (vInputs, vTarget) = RecommendData.Tensors(data.Test);
        var valid = vTarget.shape[0] == 0 ? null : new TensorDataLoader(vInputs, vTarget, 1 << 14, shuffle: false);
        var store = new CheckpointStore(folder.CheckpointDir, config.Train.KeepCheckpoints);
        using var learner = new Learner(model, train, valid, RecommendModels.Loss(model), config.Train,
            ValidMetrics(data.Min, data.Max), StandardCallbacks.Create(config.Train, folder, store, yaml, ctx), device)
        {
            Communicator = comm,
        };

        if (ctx.Resume)
        {
            var info = store.RestoreLatest(learner, msg => log.WriteLine("warning: " + msg))
                ?? throw new UserError($"--resume: no valid checkpoint in {store.Folder}; start the run again without --resume");
            log.WriteLine($"resuming from {info.Path} (epoch {info.Epoch}, step {info.Step})");
        }
        var trainClock = Stopwatch.StartNew();
        if (ctx.Resume) { if (learner.Epoch < learner.Plan!.LastEpoch) learner.Continue(); }
        else learner.FitFromOptions();
        double trainSeconds = trainClock.Elapsed.TotalSeconds;
        if (learner.Diverged)
            throw new UserError($"{learner.StopReason}; the last good checkpoint is kept in {folder.CheckpointDir}; " +
                $"try a lower train.lr (now {config.Train.Lr:G3}) or set train.grad_clip: 1.0");
        var partial = new RunSummary { Task = Name, RunDir = folder.Root, Epochs = learner.Epoch, StopReason = learner.StopReason, Threads = torch.get_num_threads() };
        if (!ctx.IsRankZero) return new RecommendRun(partial, folder, data, null);
        if (learner.Interrupted)
        {
            log.WriteLine($"checkpoint: {store.Latest()?.Path} (epoch {learner.Epoch} done, {learner.Progress.Batches} of {train.BatchesPerEpoch} batches into the next)");
            return new RecommendRun(partial with { Interrupted = true }, folder, data, null);
        }

        var evalClock = Stopwatch.StartNew();
        var seen = RecommendEvaluation.Seen(data.Train, data.Users.Count);
        var scores = RecommendEvaluation.Evaluate(new ModelScorer(model, device), seen, data.Test, data.Items.Count, baselines, config.Eval);
        log.WriteLine();
        log.Write(RecommendTable.Format(scores, config.Eval.K, data.NoiseFloor));

        var state = new RecommendState(config.Model, data.Users, data.Items, baselines,
            seen.Select(s => s.Order().ToArray()).ToArray(), data.Titles, config.Data.Layout, config.Eval);
        var baselineMetrics = BaselineMetrics(scores);
        var manifest = new ModelManifest
        {
            Task = Name,
            Metrics = scores.Model.ToDictionary(),
            Baseline = baselineMetrics,
            Provenance = new Provenance
            {
                Seed = config.Seed, Config = yaml, GitCommit = Provenance.FindGitCommit(Environment.CurrentDirectory),
                JobId = ctx.Environment.GetValueOrDefault("SLURM_JOB_ID"),
            },
            Details = RecommendArtifact.Details(state),
        };
        if (device.type != DeviceType.CPU) model.cpu();
        ModelArtifact.Save(folder.ModelDir, model, manifest);
        var metrics = new Dictionary<string, object>(scores.Model.Select(p => KeyValuePair.Create(p.Key, (object)p.Value)));
        if (data.NoiseFloor is { } floor) metrics["noise_floor"] = Math.Round(floor, 6);
        metrics["cold_start_pairs"] = (double)scores.ColdPairs;
        var summary = new RunSummary
        {
            Task = Name,
            RunDir = folder.Root,
            PrimaryMetric = MetricNames.Rmse,
            MetricsJson = metrics,
            Baseline = baselineMetrics,
            BaselineDescription = "user+item biases (μ + b_u + b_i, regularised ALS); every baseline's metrics are listed as name/metric",
            BeatsBaseline = RecommendTable.BeatsAll(scores, MetricNames.Rmse),
            Epochs = learner.Epoch,
            StopReason = learner.StopReason,
            Threads = torch.get_num_threads(),
            Timings = new()
            {
                ["load_seconds"] = Math.Round(loadSeconds, 3),
                ["train_seconds"] = Math.Round(trainSeconds, 3),
                ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3),
                ["total_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 3),
            },
        };
        AtomicFile.WriteAllText(folder.SummaryPath, summary.ToJson());
        log.WriteLine($"model written to {folder.ModelDir}");
        log.WriteLine($"report written to {Evaluation.Reports.RunReport.Build(folder.Root)}");
        return new RecommendRun(summary, folder, data, scores);
    }

    /// <summary>
    /// summary.json's <c>baseline</c>: the user+item biases baseline's metrics under their plain
    /// names (what the report compares against), then every baseline's as <c>baseline/metric</c>.
    /// </summary>
    public static Dictionary<string, double> BaselineMetrics(RecommendScores scores)
    {
        var d = new Dictionary<string, double>(scores.Baselines[BaselineKind.Biases]);
        foreach (var (kind, metrics) in scores.Baselines)
            foreach (var (name, value) in metrics) d[$"{RecommendTable.Key(kind)}/{name}"] = value;
        return d;
    }

    // Per-epoch validation RMSE and MAE on the warm test pairs, predictions clipped to the range.
    private static MetricsFunction ValidMetrics(float min, float max) => (o, t) =>
    {
        var p = o.to_type(torch.ScalarType.Float32).data<float>().Select(v => (double)Math.Clamp(v, min, max)).ToArray();
        var y = t.data<float>().Select(v => (double)v).ToArray();
        return new Dictionary<string, double> { [MetricNames.Rmse] = RegressionMetrics.Rmse(y, p), [MetricNames.Mae] = RegressionMetrics.Mae(y, p) };
    };

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output)
    {
        using var recommender = Recommender.Load(modelDir);
        return recommender.WritePredictions(recommender.ReadPairs(inputPath), output);
    }

    /// <inheritdoc />
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        using var recommender = Recommender.Load(modelDir);
        var scores = recommender.Evaluate(recommender.ReadPairs(dataPath, requireRatings: true));
        log.Write(RecommendTable.Format(scores, recommender.State.Eval.K));
        return new RunSummary
        {
            Task = Name,
            PrimaryMetric = MetricNames.Rmse,
            MetricsJson = RunSummary.Wrap(scores.Model),
            Baseline = BaselineMetrics(scores),
            BaselineDescription = "user+item biases (μ + b_u + b_i); popularity for top-k",
            BeatsBaseline = RecommendTable.BeatsAll(scores, MetricNames.Rmse),
        };
    }
}
