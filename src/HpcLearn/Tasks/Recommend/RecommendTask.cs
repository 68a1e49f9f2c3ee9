using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using TorchSharp;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Collaborative filtering from (user, item, rating) triples: biased matrix factorisation or a
/// neural variant trained with the Learner, scored by RMSE, MAE and top-k metrics beside the
/// global-mean, user-mean, item-mean, user+item-biases and popularity baselines; or, for implicit
/// feedback (<c>data.feedback: implicit</c>), a BPR factorisation scored by top-k metrics beside
/// popularity and random.
/// </summary>
public sealed class RecommendTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "recommend";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "rate and recommend items from (user, item, rating) data: matrix factorisation or embeddings + MLP (MovieLens formats read directly); BPR for implicit feedback";

    /// <inheritdoc />
    public Type ConfigType => typeof(RecommendConfig);

    /// <summary>
    /// More Learner callbacks for its runs, added to the standard ones (which already stop on the
    /// run's <see cref="RunContext.Stop"/>). Default none.
    /// </summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

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
        bool isImplicit = data.Feedback == FeedbackKind.Implicit;
        var comm = ctx.Communicator;
        // A user's training and validation items: never sampled as a negative, never recommended back.
        var seen = RecommendEvaluation.Seen(data.Train, data.Users.Count, data.Valid);
        // Before the run folder exists: a data problem found here leaves nothing behind.
        var (train, valid) = isImplicit ? ImplicitTraining.Loaders(data, config, seen, comm.Rank, comm.Size, log) : Loaders(data, config, comm);
        using var trainTensors = train;
        using var validTensors = valid;
        double loadSeconds = total.Elapsed.TotalSeconds;

        using var session = RunSession.Open(Name, config, ctx, loadSeconds);
        var folder = session.Folder;
        if (comm.Size > 1) log.WriteLine($"data parallel: {comm.Size} ranks ({comm.Name}), batch {config.Train.BatchSize} per rank");

        using var model = RecommendModels.Create(config.Model, data.Users.Count, data.Items.Count, data.Min, data.Max, data.Feedback);
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        var store = new CheckpointStore(folder.CheckpointDir, config.Train.KeepCheckpoints);
        using var learner = new Learner(model, train, valid, isImplicit ? RecommendModels.BprLoss(model) : RecommendModels.Loss(model), config.Train,
            isImplicit ? ImplicitTraining.ValidMetrics : ValidMetrics(data.Min, data.Max), StandardCallbacks.Create(config.Train, folder, store, session.Yaml, ctx, Callbacks), device)
        {
            Communicator = comm,
        };

        double trainSeconds = LearnerFit.Run(learner, store, session, config.Train.LearningRate);
        var partial = new RunSummary { Epochs = learner.Epoch, StopReason = learner.StopReason };
        if (!ctx.IsRankZero) return new RecommendRun(partial with { Task = Name, RunDir = folder.Root, Interrupted = learner.Interrupted }, folder, data, null);
        var scorer = new ModelScorer(model, device);
        double weight = isImplicit ? 0 : PopularityWeight(config, data, baselines, scorer, log);
        var state = new RecommendState(config.Model, data.Users, data.Items, baselines,
            seen.Select(s => s.Order().ToArray()).ToArray(), data.Titles, config.Data.Layout, config.Eval, data.Feedback, config.Data.PositiveFrom, weight);
        if (learner.Interrupted)
        {
            log.WriteLine($"checkpoint: {store.Latest()?.Path} (epoch {learner.Epoch} done, {learner.Progress.Batches} of {train.BatchesPerEpoch} batches into the next)");
            return new RecommendRun(session.Stopped(LearnerOutcome.Stopped(learner, RecommendArtifact.Details(state), partial, trainSeconds), learner.StopReason), folder, data, null);
        }

        var evalClock = Stopwatch.StartNew();
        var scores = isImplicit
            ? ImplicitEvaluation.Evaluate(scorer, seen, data.Test, baselines.ItemCount, config.Eval.K)
            : RecommendEvaluation.Evaluate(scorer, seen, data.Test, data.Items.Count, baselines, config.Eval, weight);
        log.WriteLine();
        log.Write(RecommendTable.Format(scores, config.Eval.K, data.NoiseFloor));
        if (scores.RankedUsers == 0 && isImplicit)
            log.WriteLine("warning: no held-out interaction of a known user and item: there is nothing to rank, so no top-k metric; hold out more (data.test_fraction) or check data.test_path");

        var baselineMetrics = BaselineMetrics(scores);
        var metrics = new Dictionary<string, object>(scores.Model.Select(p => KeyValuePair.Create(p.Key, (object)p.Value)));
        if (data.NoiseFloor is { } floor) metrics["noise_floor"] = Math.Round(floor, 6);
        metrics["cold_start_pairs"] = (double)scores.ColdPairs;
        var summary = session.Finish(new RunOutcome
        {
            Model = model,
            Details = RecommendArtifact.Details(state),
            Metrics = scores.Model,
            Baseline = baselineMetrics,
            TrainSeconds = trainSeconds,
            Summary = partial with
            {
                PrimaryMetric = Primary(scores, config.Eval.K),
                MetricsJson = metrics,
                Baseline = baselineMetrics,
                BaselineDescription = isImplicit
                    ? "popularity (items by training interactions); the expected metrics of a random ranking are listed as random/metric"
                    : "user+item biases (μ + b_u + b_i, regularised ALS); every baseline's metrics are listed as name/metric",
                BeatsBaseline = Beats(scores, config.Eval.K),
            },
            Timings = new() { ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3) },
        });
        return new RecommendRun(summary, folder, data, scores);
    }

    /// <summary>
    /// summary.json's <c>baseline</c>: under the plain metric names (what the report compares against)
    /// the user+item biases baseline's RMSE and MAE and, for each top-k metric, the best baseline's
    /// value (popularity's, as a rule, on real ratings; implicit feedback: popularity's); then every
    /// baseline's as <c>baseline/metric</c>.
    /// </summary>
    public static Dictionary<string, double> BaselineMetrics(RecommendScores scores)
    {
        var main = scores.Baselines.GetValueOrDefault(scores.Implicit ? BaselineKind.Popularity : BaselineKind.Biases);
        var d = main is null ? new Dictionary<string, double>() : new Dictionary<string, double>(main);
        if (!scores.Implicit)
            foreach (var name in scores.Model.Keys.Where(n => n is not MetricNames.Rmse and not MetricNames.Mae))
            {
                var values = scores.Baselines.Values.Where(m => m.ContainsKey(name)).Select(m => m[name]).Where(double.IsFinite).ToList();
                if (values.Count > 0) d[name] = values.Max();
            }
        foreach (var (kind, metrics) in scores.Baselines)
            foreach (var (name, value) in metrics) d[$"{RecommendTable.Key(kind)}/{name}"] = value;
        return d;
    }

    // The w of the top-k ranking (predicted rating + w · ln(1 + item's training ratings)): eval.popularity_weight
    // when set, else the grid's best NDCG@k on the validation pairs; 0 without validation pairs.
    private static double PopularityWeight(RecommendConfig config, RecommendData data, RatingBaselines baselines, ModelScorer scorer, TextWriter log)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (config.Eval.PopularityWeight is { } given)
        {
            log.WriteLine(string.Create(c, $"top-k: ranked by predicted rating + {given:0.###} · ln(1 + ratings of the item) (eval.popularity_weight)"));
            return given;
        }
        var fitSeen = RecommendEvaluation.Seen(data.Train, data.Users.Count);
        double from = config.Eval.RelevantFrom ?? baselines.GlobalMean;
        if (PopularityBlend.Choose(scorer, data.Valid, fitSeen, data.Items.Count, baselines.ItemCount, from, config.Eval.K) is not { } choice)
        {
            log.WriteLine("top-k: ranked by predicted rating alone (no validation pair to choose a popularity weight on; set eval.popularity_weight or data.valid_fraction)");
            return 0;
        }
        string Ndcg(double w) => choice.Tried.First(t => t.Weight == w).Ndcg.ToString("0.0000", c);
        log.WriteLine(string.Create(c, $"top-k: ranked by predicted rating + {choice.Weight:0.###} · ln(1 + ratings of the item), the weight with the best validation NDCG@{config.Eval.K} ({Ndcg(choice.Weight)}; rating alone {Ndcg(0)}, weight {PopularityBlend.Grid[^1]:0} {Ndcg(PopularityBlend.Grid[^1])})"));
        return choice.Weight;
    }

    // Ratings: RMSE; implicit feedback: NDCG@k (no rating to predict).
    private static string Primary(RecommendScores s, int k) => s.Implicit ? RankingMetrics.Names(k)[2] : MetricNames.Rmse;

    private static bool Beats(RecommendScores s, int k) => s.Model.ContainsKey(Primary(s, k)) && RecommendTable.BeatsAll(s, Primary(s, k));

    private static (TensorDataLoader Train, TensorDataLoader? Valid) Loaders(RecommendData data, RecommendConfig config, HpcLearn.Cluster.ICommunicator comm)
    {
        var (inputs, target) = RecommendData.Tensors(data.Train);
        var train = new TensorDataLoader(inputs, target, config.Train.BatchSize, shuffle: true, config.Seed, comm.Rank, comm.Size);
        var (vInputs, vTarget) = RecommendData.Tensors(data.Valid);
        return (train, vTarget.shape[0] == 0 ? null : new TensorDataLoader(vInputs, vTarget, 1 << 14, shuffle: false));
    }

    // Per-epoch validation RMSE and MAE on the warm validation pairs, predictions clipped to the range.
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
        int k = recommender.State.Eval.K;
        log.Write(RecommendTable.Format(scores, k));
        return new RunSummary
        {
            Task = Name,
            PrimaryMetric = Primary(scores, k),
            MetricsJson = RunSummary.Wrap(scores.Model),
            Baseline = BaselineMetrics(scores),
            BaselineDescription = scores.Implicit ? "popularity (items by training interactions); random as random/metric" : "user+item biases (μ + b_u + b_i); popularity for top-k",
            BeatsBaseline = Beats(scores, k),
        };
    }
}
