using System.Diagnostics;
using System.Text.Json;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Shared;

/// <summary>
/// The training run shared by the classifiers over tensors (images, spectrograms): run folder,
/// Learner with the standard callbacks, resume, then the metrics beside the baseline,
/// calibration, per-class figures, confusion matrix, top losses, model folder, summary and report.
/// </summary>
public static class ClassifierRun
{
    /// <summary>Trains <paramref name="setup"/>'s model in <paramref name="session"/>'s run and finishes it.</summary>
    /// <param name="session">The run, opened by the task before it built the model (config, folder, seed).</param>
    /// <param name="setup">Model and data, ready to train; the model is moved to <paramref name="device"/>.</param>
    /// <param name="device">Where to train.</param>
    public static RunSummary Train(RunSession session, ClassifierSetup setup, Device device)
    {
        var config = session.Config;
        var ctx = session.Context;
        var folder = session.Folder;
        var log = ctx.Out;
        var comm = ctx.Communicator;
        if (comm.Size > 1) log.WriteLine($"data parallel: {comm.Size} ranks ({comm.Name}), batch {config.Train.BatchSize} per rank");
        var model = setup.Model;
        log.WriteLine($"model: {model.parameters().Sum(p => p.numel()):N0} parameters");
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        var store = new CheckpointStore(folder.CheckpointDir, config.Train.KeepCheckpoints);
        using var learner = new Learner(model, setup.Train, setup.Valid, (o, y) => nn.functional.cross_entropy(o, y), config.Train,
            (o, y) => ClassificationMetrics.Compute(ClassifierOutputs.Labels(y), ClassifierOutputs.Probabilities(o)),
            StandardCallbacks.Create(config.Train, folder, store, session.Yaml, ctx, setup.Callbacks), device)
        {
            Communicator = comm,
        };

        double trainSeconds = LearnerFit.Run(learner, store, session, config.Train.LearningRate);
        var partial = new RunSummary { Epochs = learner.Epoch, StopReason = learner.StopReason };
        if (!ctx.IsRankZero) return partial with { Task = session.Task, RunDir = folder.Root, Interrupted = learner.Interrupted };
        if (learner.Interrupted)
        {
            log.WriteLine($"checkpoint: {store.Latest()?.Path} (epoch {learner.Epoch} done, {learner.Progress.Batches} of {setup.Train.BatchesPerEpoch} batches into the next)");
            return session.Stopped(LearnerOutcome.Stopped(learner, setup.Details(1), partial, trainSeconds), learner.StopReason);
        }

        var evalClock = Stopwatch.StartNew();
        // Validation judges the run; with data.valid_fraction 0 the test set alone does, and the
        // report (confusion, per class, top losses) describes it, with no temperature fitted.
        bool onTest = setup.Valid is null;
        var final = learner.Evaluate(setup.Valid ?? setup.Test?.Loader ?? throw new InvalidOperationException("a classifier run needs validation or test examples"));
        var metrics = final.Metrics;
        var logits = ClassifierOutputs.Rows(final.Outputs);
        final.Outputs.Dispose();
        final.Targets.Dispose();
        var trust = ClassificationTrust.Evaluate(setup.ValidLabels, logits, setup.Classes, config.Train.Calibrate != false && !onTest);
        var baseline = setup.Baseline;
        log.WriteLine();
        if (setup.Test is { } test)
            log.WriteLine(onTest ? $"test ({test.Description}; no validation examples):" : $"validation ({setup.ValidLabels.Length} examples):");
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        if (onTest && config.Train.Calibrate != false)
            log.WriteLine("calibration: not fitted (data.valid_fraction is 0, and the test set must not tune the model); predict uses T = 1");
        log.Write(trust.Text);
        log.WriteLine(onTest ? "per class (test):" : "per class (validation):");
        log.Write(trust.PerClass.Format());
        log.Write(ConfusionText.Format(trust.Confusion));
        if (setup.WriteTopLosses is { } top) log.WriteLine($"top losses: {top(folder.Root, trust.Probabilities)}");
        if (onTest) foreach (var (key, value) in metrics) trust.SummaryExtras["test_" + key] = value;
        else if (setup.Test is not null) TestMetrics(learner, setup.Test, trust, log);
        var report = new EvaluationReport { DataCard = setup.Card, Confusion = trust.Confusion, PerClass = trust.PerClass, Calibration = trust.Calibration };
        AtomicFile.WriteAllText(folder.EvaluationPath, JsonSerializer.Serialize(report, ModelArtifact.JsonOptions));

        var time = folder.TrainTime(trainSeconds);
        return session.Finish(new RunOutcome
        {
            Model = model,
            Details = setup.Details(trust.Temperature ?? 1),
            Metrics = metrics,
            Baseline = baseline.Metrics,
            TrainSeconds = trainSeconds,
            Summary = partial.Scored(metrics, baseline, trust.SummaryExtras),
            // Examples of every epoch over the time of every attempt: right after a resume too.
            Timings = new()
            {
                ["train_examples_per_second"] = Math.Round((double)learner.Epoch * setup.Train.EpochExamples / Math.Max(time.TotalSeconds, 1e-9), 1),
                ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3),
            },
        });
    }

    // The test set, measured once with the final weights (and the fitted temperature, as predict
    // applies it); its figures go to summary.json as test_<metric>.
    private static void TestMetrics(Learner learner, ClassifierTestSet test, ClassificationTrust trust, TextWriter log)
    {
        var result = learner.Evaluate(test.Loader);
        var metrics = result.Metrics;
        log.WriteLine($"test ({test.Description}):");
        log.WriteLine(MetricsTable.Format(metrics, test.Baseline.Metrics, test.Baseline.Description));
        foreach (var (key, value) in metrics) trust.SummaryExtras["test_" + key] = value;
        if (trust.Temperature is { } t)
        {
            double calibrated = ClassificationMetrics.LogLoss(test.Labels, TemperatureScaling.Apply(ClassifierOutputs.Rows(result.Outputs), t));
            trust.SummaryExtras["test_log_loss_calibrated"] = calibrated;
            log.WriteLine(System.FormattableString.Invariant($"test log loss at the model's T = {t:F3} (what predict gives): {calibrated:F4}"));
        }
        result.Outputs.Dispose();
        result.Targets.Dispose();
    }
}
