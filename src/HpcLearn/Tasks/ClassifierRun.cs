using System.Diagnostics;
using System.Text.Json;
using HpcLearn.Config;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks;

/// <summary>
/// The training run shared by the classifiers over tensors (images, spectrograms): run folder,
/// Learner with the standard callbacks, resume, then the metrics beside the baseline,
/// calibration, per-class figures, confusion matrix, top losses, model folder, summary and report.
/// </summary>
public static class ClassifierRun
{
    /// <summary>Trains <paramref name="setup"/>'s model as task <paramref name="task"/> and writes the run folder.</summary>
    /// <param name="task">The task's name (model.json, summary.json).</param>
    /// <param name="config">The resolved config (its <c>train</c> section drives the fit).</param>
    /// <param name="ctx">Output, runs root, resume flag, communicator.</param>
    /// <param name="setup">Model and data, ready to train; the model is moved to <paramref name="device"/>.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="loadSeconds">Seconds spent loading and preparing data (for summary.json).</param>
    public static RunSummary Train(string task, RunConfig config, RunContext ctx, ClassifierSetup setup, Device device, double loadSeconds)
    {
        var total = Stopwatch.StartNew();
        var log = ctx.Out;
        var comm = ctx.Communicator;
        using var folder = ctx.IsRankZero
            ? RunFolder.Open(ctx, config.RunName)
            : RunFolder.At(ctx.RunsRoot, config.RunName);
        string yaml = ConfigWriter.ToYaml(config);
        if (!ctx.Resume && ctx.IsRankZero) AtomicFile.WriteAllText(folder.ConfigPath, yaml);
        log.WriteLine($"run folder: {folder.Root}");
        if (comm.Size > 1) log.WriteLine($"data parallel: {comm.Size} ranks ({comm.Name}), batch {config.Train.BatchSize} per rank");
        var model = setup.Model;
        log.WriteLine($"model: {model.parameters().Sum(p => p.numel()):N0} parameters");
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        var store = new CheckpointStore(folder.CheckpointDir, config.Train.KeepCheckpoints);
        using var learner = new Learner(model, setup.Train, setup.Valid, (o, y) => nn.functional.cross_entropy(o, y), config.Train,
            (o, y) => ClassificationMetrics.Compute(TabularMetrics.Labels(y), TabularMetrics.Probabilities(o)),
            StandardCallbacks.Create(config.Train, folder, store, yaml, ctx, setup.Callbacks), device)
        {
            Communicator = comm,
        };

        if (ctx.Resume) store.Resume(learner, yaml, log);
        var trainClock = Stopwatch.StartNew();
        if (ctx.Resume) { if (learner.Epoch < learner.Plan!.LastEpoch) learner.Continue(ctx.Stop.Token); }
        else learner.FitFromOptions(ctx.Stop.Token);
        double trainSeconds = trainClock.Elapsed.TotalSeconds;
        if (learner.Diverged)
            throw new UserError($"{learner.StopReason}; the last good checkpoint is kept in {folder.CheckpointDir}; " +
                $"try a lower train.lr (now {config.Train.LearningRate:G3}) or set train.grad_clip: 1.0");
        var partial = new RunSummary { Task = task, RunDir = folder.Root, Epochs = learner.Epoch, StopReason = learner.StopReason, Threads = torch.get_num_threads() };
        if (!ctx.IsRankZero) return partial;
        if (learner.Interrupted)
        {
            log.WriteLine($"checkpoint: {store.Latest()?.Path} (epoch {learner.Epoch} done, {learner.Progress.Batches} of {setup.Train.BatchesPerEpoch} batches into the next)");
            return partial with { Interrupted = true };
        }

        var evalClock = Stopwatch.StartNew();
        var final = learner.Evaluate(setup.Valid);
        var metrics = final.Metrics;
        var logits = TabularMetrics.Rows(final.Outputs);
        final.Outputs.Dispose();
        final.Targets.Dispose();
        var trust = ClassificationTrust.Evaluate(setup.ValidLabels, logits, setup.Classes, config.Train.Calibrate != false);
        var baseline = setup.Baseline;
        log.WriteLine();
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        log.Write(trust.Text);
        log.WriteLine("per class (validation):");
        log.Write(trust.PerClass.Format());
        log.Write(ConfusionText.Format(trust.Confusion));
        if (setup.WriteTopLosses is { } top) log.WriteLine($"top losses: {top(folder.Root, trust.Probabilities)}");
        var report = new EvaluationReport { DataCard = setup.Card, Confusion = trust.Confusion, PerClass = trust.PerClass, Calibration = trust.Calibration };
        AtomicFile.WriteAllText(folder.EvaluationPath, JsonSerializer.Serialize(report, ModelArtifact.JsonOptions));

        var manifest = new ModelManifest
        {
            Task = task,
            Metrics = metrics.ToDictionary(),
            Baseline = baseline.Metrics.ToDictionary(),
            Provenance = new Provenance
            {
                Seed = config.Seed, Config = yaml, GitCommit = Provenance.FindGitCommit(Environment.CurrentDirectory),
                JobId = ctx.Environment.GetValueOrDefault("SLURM_JOB_ID"),
            },
            Details = setup.Details(trust.Temperature ?? 1),
        };
        if (device.type != DeviceType.CPU) model.cpu(); // model folders hold CPU weights
        ModelArtifact.Save(folder.ModelDir, model, manifest);
        string primary = metrics.Keys.First();
        var time = folder.TrainTime(trainSeconds);
        var summary = partial with
        {
            PrimaryMetric = primary,
            MetricsJson = RunSummary.Wrap(metrics.Concat(trust.SummaryExtras).ToDictionary()),
            Baseline = baseline.Metrics.ToDictionary(),
            BaselineDescription = baseline.Description,
            BeatsBaseline = MetricInfo.Beats(primary, metrics[primary], baseline.Metrics.GetValueOrDefault(primary, double.NaN)),
            // Examples of every epoch over the time of every attempt: right after a resume too.
            Timings = time.AddTo(new()
            {
                ["load_seconds"] = Math.Round(loadSeconds, 3),
                ["train_examples_per_second"] = Math.Round((double)learner.Epoch * setup.Train.ShardSize * comm.Size / Math.Max(time.TotalSeconds, 1e-9), 1),
                ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3),
                ["total_seconds"] = Math.Round(loadSeconds + total.Elapsed.TotalSeconds, 3),
            }),
        };
        AtomicFile.WriteAllText(folder.SummaryPath, summary.ToJson());
        log.WriteLine($"model written to {folder.ModelDir}");
        log.WriteLine($"report written to {RunReport.Build(folder.Root)}");
        return summary;
    }
}
