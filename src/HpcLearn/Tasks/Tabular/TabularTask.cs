using System.Diagnostics;
using HpcLearn.Config;
using HpcLearn.Data;
using HpcLearn.Evaluation;
using HpcLearn.Runs;
using HpcLearn.Tasks.Shared;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;
using System.Text.Json;
using TorchSharp;

namespace HpcLearn.Tasks.Tabular;

/// <summary>
/// Classification and regression from a table (CSV or JSON records): categorical embeddings
/// plus numeric features into an MLP. Prints the trivial baseline beside every metric.
/// </summary>
public sealed class TabularTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "tabular";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "classify or regress a column of a CSV/JSON table (MLP over numeric features and categorical embeddings)";

    /// <inheritdoc />
    public Type ConfigType => typeof(TabularConfig);

    /// <summary>
    /// More Learner callbacks for its runs, added to the standard ones (which already stop on the
    /// run's <see cref="RunContext.Stop"/>). Default none.
    /// </summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((TabularConfig)config, context).Summary;

    /// <summary>Trains and returns the summary together with the run folder.</summary>
    public TabularRun Train(TabularConfig config, RunContext ctx)
    {
        var total = Stopwatch.StartNew();
        var log = ctx.Out;
        var device = TorchRuntime.ResolveDevice(config.Device);
        var data = TabularData.Prepare(config, log, ctx.Stop.Token);
        ctx.Stop.Token.ThrowIfCancellationRequested(); // a signal during the set-up: stop before the run folder is made
        if (config.Train.Calibrate == true && data.Kind == TabularKind.Regression) Calibration.RequireClassification("regression");
        // Batch size and epochs the config leaves out follow the table's size; config.yaml records what ran.
        (config, string? note) = TabularTrainingDefaults.Resolve(config, data.Train.RowCount, ctx.Communicator.Size, data.Kind);
        if (note is not null) log.WriteLine(note);
        // The ridge start relies on validation rows to choose how far training may move from ridge:
        // without them the default is the plain MLP of before (config.yaml records it).
        if (config.Model.LinearSkip is null && data.Kind == TabularKind.Regression && !data.HasValid)
        {
            config = config with { Model = config.Model with { LinearSkip = false } };
            log.WriteLine("model.linear_skip: false (no validation rows to choose between the ridge start and the trained epochs); set it true to start from ridge anyway");
        }
        double loadSeconds = total.Elapsed.TotalSeconds;

        // Rank 0 alone creates and writes the run folder; the other ranks only read checkpoints from it.
        var comm = ctx.Communicator;
        ValidationRules.RequireValidationForEarlyStopping(config.Train, data.HasValid);
        var (threads, threadNote) = TabularThreadChoice.For(torch.get_num_threads(), TorchRuntime.ThreadsDefaulted, device.type == DeviceType.CPU,
            TabularModel.MultiplyAddsPerRow(data.Schema, config.Model) * config.Train.BatchSize);
        // Before the run folder: inputs.json records the threads that train. Put back when the run ends.
        using var fewerThreads = threadNote is null ? null : TorchRuntime.ThreadsFor(threads);
        if (threadNote is not null) log.WriteLine(threadNote);
        using var session = RunSession.Open(Name, config, ctx, loadSeconds);
        var folder = session.Folder;
        if (comm.Size > 1) log.WriteLine($"data parallel: {comm.Size} ranks ({comm.Name}), batch {config.Train.BatchSize} per rank");

        using var model = new TabularModel(data.Schema, config.Model);
        var t = data.Tensors(data.Train);
        if (model.HasLinearSkip && data.Kind == TabularKind.Regression) StartFromRidge(model, t, log);
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        // Every rank reads its own disjoint shard of the same per-epoch permutation.
        using var train = new TensorDataLoader(t.Inputs, t.Target, config.Train.BatchSize, shuffle: true, config.Seed, comm.Rank, comm.Size);
        using var valid = data.HasValid ? data.Loader(data.Valid, 1024, shuffle: false, config.Seed) : null;
        var store = new CheckpointStore(folder.CheckpointDir, config.Train.KeepCheckpoints);
        using var learner = new Learner(model, train, valid, TabularMetrics.Loss(data.Kind), config.Train,
            TabularMetrics.Metrics(data.Schema.Target), StandardCallbacks.Create(config.Train, folder, store, session.Yaml, ctx, Callbacks), device)
        {
            Communicator = comm,
        };

        // With the ridge start, the run keeps the epoch with the best validation loss, the start (epoch 0) included.
        var keepBest = model.HasLinearSkip && data.Kind == TabularKind.Regression && data.HasValid ? new KeepBestWeightsCallback() : null;
        if (keepBest is not null) learner.AddCallback(keepBest);

        double trainSeconds = LearnerFit.Run(learner, store, session, config.Train.LearningRate);
        if (keepBest?.KeptEpoch is { } kept && ctx.IsRankZero)
            log.WriteLine(kept == learner.Epoch
                ? System.FormattableString.Invariant($"kept the last epoch's weights ({kept}): its validation loss {keepBest.KeptLoss:G4} is the lowest")
                : System.FormattableString.Invariant($"kept the weights of epoch {kept}{(kept == 0 ? " (the ridge start)" : "")}: validation loss {keepBest.KeptLoss:G4}, against {keepBest.LastLoss:G4} at the last epoch ({learner.Epoch})"));
        var partial = new RunSummary { Epochs = learner.Epoch, StopReason = learner.StopReason };
        if (!ctx.IsRankZero) // the weights are rank 0's too; evaluating and writing them is rank 0's job
            return new TabularRun(partial with { Task = Name, RunDir = folder.Root, Interrupted = learner.Interrupted }, folder, data);
        if (learner.Interrupted)
        {
            // Unfinished: the checkpoint is what --resume continues; the model of the last weights is usable meanwhile.
            log.WriteLine($"checkpoint: {store.Latest()?.Path} (epoch {learner.Epoch} done, {learner.Progress.Batches} of {train.BatchesPerEpoch} batches into the next)");
            var details = TabularArtifact.Details(data.Schema, config.Model, data.TrainPrior(), null);
            return new TabularRun(session.Stopped(LearnerOutcome.Stopped(learner, details, partial, trainSeconds), learner.StopReason), folder, data);
        }

        var evalClock = Stopwatch.StartNew();
        // Validation rows judge the run; with data.valid_fraction 0 the test file alone does, and
        // the report (confusion, groups) describes the test rows, with no temperature fitted.
        var judged = data.HasValid ? data.Valid : data.Test!;
        using var judgedLoader = data.HasValid ? null : data.Loader(judged, 1024, shuffle: false, config.Seed);
        var final = learner.Evaluate(valid ?? judgedLoader!);
        var metrics = final.Metrics;
        var trust = TabularTrust.Evaluate(data, judged, final.Outputs, config);
        final.Outputs.Dispose();
        final.Targets.Dispose();
        var baseline = data.Baseline(judged);
        log.WriteLine();
        if (data.Test is not null) log.WriteLine(data.HasValid ? $"validation ({data.Valid.RowCount} rows):" : $"test ({data.Test.RowCount} rows of {config.Data.TestPath}; no validation rows):");
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        log.Write(trust.Text);
        if (data.Test is not null && data.HasValid) TestMetrics(learner, data, config, trust, log);
        else if (data.Test is not null) foreach (var (key, value) in metrics) trust.SummaryExtras["test_" + key] = value; // judged on the test file: its figures under test_ too
        AtomicFile.WriteAllText(folder.EvaluationPath, JsonSerializer.Serialize(trust.Report, ModelArtifact.JsonOptions));

        var summary = session.Finish(new RunOutcome
        {
            Model = model,
            Details = TabularArtifact.Details(data.Schema, config.Model, data.TrainPrior(), trust.Temperature),
            Metrics = metrics,
            Baseline = baseline.Metrics,
            TrainSeconds = trainSeconds,
            Summary = partial.Scored(metrics, baseline, trust.SummaryExtras),
            Timings = new() { ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3) },
        });
        return new TabularRun(summary, folder, data);
    }

    // The regression network starts as ridge on the training rows (a resumed run then loads its checkpoint over it).
    private static void StartFromRidge(TabularModel model, Training.Tensors train, TextWriter log)
    {
        var fit = model.StartFromRidge(train.Inputs[0], train.Inputs[1], train.Target);
        log.WriteLine(fit is null
            ? $"model: linear skip starts at zero (more than {TabularRidge.MaxColumns:N0} numeric and one-hot columns for the ridge start)"
            : System.FormattableString.Invariant($"model: linear skip starts at ridge regression (alpha {fit.Alpha:G3} by generalised cross-validation), the MLP at zero; model.linear_skip: false turns it off"));
    }

    // The test file, measured once with the final weights (and the fitted temperature, as predict
    // applies it); its figures go to summary.json as test_<metric>.
    private static void TestMetrics(Learner learner, TabularData data, TabularConfig config, TabularTrust trust, TextWriter log)
    {
        using var loader = data.Loader(data.Test!, 1024, shuffle: false, config.Seed);
        var result = learner.Evaluate(loader);
        var metrics = result.Metrics;
        var baseline = data.Baseline(data.Test!);
        log.WriteLine($"test ({data.Test!.RowCount} rows of {config.Data.TestPath}):");
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        foreach (var (key, value) in metrics) trust.SummaryExtras["test_" + key] = value;
        if (data.Kind == TabularKind.Classification && trust.Temperature is { } t)
        {
            var truth = TabularPreprocessor.ClassIndices(data.Schema.Target, data.Test[data.Schema.Target.Name]).Select(v => (int)v).ToArray();
            double calibrated = ClassificationMetrics.LogLoss(truth, TemperatureScaling.Apply(ClassifierOutputs.Rows(result.Outputs), t));
            trust.SummaryExtras["test_log_loss_calibrated"] = calibrated;
            log.WriteLine(System.FormattableString.Invariant($"test log loss at the fitted T = {t:F3} (what predict gives): {calibrated:F4}"));
        }
        result.Outputs.Dispose();
        result.Targets.Dispose();
    }

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output)
    {
        using var predictor = TabularPredictor.Load(modelDir);
        var table = predictor.LoadInput(inputPath);
        predictor.WriteCsv(table, output);
        return table.RowCount;
    }

    /// <inheritdoc />
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        using var predictor = TabularPredictor.Load(modelDir);
        var table = predictor.LoadInput(dataPath, requireTarget: true);
        var (metrics, baseline) = predictor.Evaluate(table);
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        return RunSummary.Evaluated(Name, metrics, baseline);
    }
}
