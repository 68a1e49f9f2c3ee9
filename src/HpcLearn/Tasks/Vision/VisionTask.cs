using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Tasks.Tabular;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Vision;

/// <summary>
/// Image classification: a folder of images per class, a CSV of (path, label), IDX files
/// (MNIST, Fashion-MNIST) or built-in synthetic galaxies, into a small CNN or a ResNet. Reports
/// the majority-class baseline, the confusion matrix, per-class precision and recall,
/// calibration and the top losses (plots/top-losses.png).
/// </summary>
public sealed class VisionTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "vision";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "classify images: class folders, a CSV of paths, IDX files (Fashion-MNIST) or built-in galaxies (CNN or ResNet)";

    /// <inheritdoc />
    public Type ConfigType => typeof(VisionConfig);

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((VisionConfig)config, context).Summary;

    /// <summary>Trains and returns the summary together with the data.</summary>
    public (RunSummary Summary, VisionData Data) Train(VisionConfig config, RunContext ctx)
    {
        var total = Stopwatch.StartNew();
        var log = ctx.Out;
        config.Model.Validate();
        var device = TorchRuntime.ResolveDevice(config.Device);
        var data = VisionData.Prepare(config, log);
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
        var t = data.Train;
        using var model = VisionModels.Create(config.Model, t.Channels, t.Height, t.Width, data.Classes.Count);
        log.WriteLine($"model: {config.Model.Arch}, {model.parameters().Sum(p => p.numel()):N0} parameters");
        Training.Distributed.ParameterBroadcast.FromRank0(model, comm);
        using var transform = new ImageTransform(data.Mean, data.Std, config.Data.Flip, config.Data.CropPadding, config.Seed);
        var train = data.TrainLoader(transform, config.Train.BatchSize, config.Seed, comm.Rank, comm.Size);
        var valid = data.ValidLoader(transform, 256);
        var store = new CheckpointStore(folder.CheckpointDir, config.Train.KeepCheckpoints);
        using var learner = new Learner(model, train, valid, (o, y) => nn.functional.cross_entropy(o, y), config.Train,
            (o, y) => ClassificationMetrics.Compute(TabularMetrics.Labels(y), TabularMetrics.Probabilities(o)),
            StandardCallbacks.Create(config.Train, folder, store, yaml, ctx), device)
        {
            Communicator = comm,
        };

        if (ctx.Resume) Resume(learner, store, yaml, log);
        var trainClock = Stopwatch.StartNew();
        if (ctx.Resume) { if (learner.Epoch < learner.Plan!.LastEpoch) learner.Continue(); }
        else learner.FitFromOptions();
        double trainSeconds = trainClock.Elapsed.TotalSeconds;
        if (learner.Diverged)
            throw new UserError($"{learner.StopReason}; the last good checkpoint is kept in {folder.CheckpointDir}; " +
                $"try a lower train.lr (now {config.Train.Lr:G3}) or set train.grad_clip: 1.0");
        var partial = new RunSummary { Task = Name, RunDir = folder.Root, Epochs = learner.Epoch, StopReason = learner.StopReason, Threads = torch.get_num_threads() };
        if (!ctx.IsRankZero) return (partial, data);
        if (learner.Interrupted)
        {
            log.WriteLine($"checkpoint: {store.Latest()?.Path} (epoch {learner.Epoch} done, {learner.Progress.Batches} of {train.BatchesPerEpoch} batches into the next)");
            return (partial with { Interrupted = true }, data);
        }

        var evalClock = Stopwatch.StartNew();
        var final = learner.Evaluate(valid);
        var metrics = final.Metrics;
        var logits = TabularMetrics.Rows(final.Outputs);
        final.Outputs.Dispose();
        final.Targets.Dispose();
        var trust = ClassificationTrust.Evaluate(data.Valid.Labels, logits, data.Classes, config.Train.Calibrate != false);
        var baseline = data.Baseline();
        log.WriteLine();
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        log.Write(trust.Text);
        log.WriteLine("per class (validation):");
        log.Write(trust.PerClass.Format());
        log.Write(ConfusionText.Format(trust.Confusion));
        string topLosses = WriteTopLosses(folder.Root, data.Valid, trust.Probabilities);
        log.WriteLine($"top losses: {topLosses}");
        var report = new EvaluationReport { DataCard = data.Card, Confusion = trust.Confusion, PerClass = trust.PerClass, Calibration = trust.Calibration };
        AtomicFile.WriteAllText(folder.EvaluationPath, JsonSerializer.Serialize(report, ModelArtifact.JsonOptions));

        var details = new VisionArtifact
        {
            Model = config.Model, Channels = t.Channels, Height = t.Height, Width = t.Width, Classes = data.Classes.ToArray(),
            ClassCounts = t.ClassCounts(), Mean = data.Mean, Std = data.Std, Temperature = trust.Temperature ?? 1,
        };
        var manifest = new ModelManifest
        {
            Task = Name,
            Metrics = metrics.ToDictionary(),
            Baseline = baseline.Metrics.ToDictionary(),
            Provenance = new Provenance
            {
                Seed = config.Seed, Config = yaml, GitCommit = Provenance.FindGitCommit(Environment.CurrentDirectory),
                JobId = ctx.Environment.GetValueOrDefault("SLURM_JOB_ID"),
            },
            Details = details.ToJson(),
        };
        if (device.type != DeviceType.CPU) model.cpu();
        ModelArtifact.Save(folder.ModelDir, model, manifest);
        string primary = metrics.Keys.First();
        var summary = partial with
        {
            PrimaryMetric = primary,
            MetricsJson = RunSummary.Wrap(metrics.Concat(trust.SummaryExtras).ToDictionary()),
            Baseline = baseline.Metrics.ToDictionary(),
            BaselineDescription = baseline.Description,
            BeatsBaseline = MetricInfo.Beats(primary, metrics[primary], baseline.Metrics.GetValueOrDefault(primary, double.NaN)),
            Timings = new()
            {
                ["load_seconds"] = Math.Round(loadSeconds, 3),
                ["train_seconds"] = Math.Round(trainSeconds, 3),
                ["train_images_per_second"] = Math.Round((double)learner.Epoch * train.ShardSize * comm.Size / Math.Max(trainSeconds, 1e-9), 1),
                ["evaluate_seconds"] = Math.Round(evalClock.Elapsed.TotalSeconds, 3),
                ["total_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 3),
            },
        };
        AtomicFile.WriteAllText(folder.SummaryPath, summary.ToJson());
        log.WriteLine($"model written to {folder.ModelDir}");
        log.WriteLine($"report written to {RunReport.Build(folder.Root)}");
        return (summary, data);
    }

    /// <summary>Writes plots/top-losses.png: the validation images the model is most confidently wrong about.</summary>
    private static string WriteTopLosses(string runDir, ImageSet valid, double[][] probabilities)
    {
        var rows = TopLosses.Select(valid.Labels, probabilities, 16);
        string dir = Path.Combine(runDir, "plots");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "top-losses.png");
        if (rows.Length == 0) return "none (every validation image is classified correctly)";
        var tiles = rows.Select(i =>
        {
            int predicted = Array.IndexOf(probabilities[i], probabilities[i].Max());
            var pixels = valid.Pixels.AsSpan(i * valid.ImageSize, valid.ImageSize).ToArray();
            string caption = string.Create(CultureInfo.InvariantCulture,
                $"{valid.Classes[predicted]} {probabilities[i][predicted]:F2}\ntrue: {valid.Classes[valid.Labels[i]]} {probabilities[i][valid.Labels[i]]:F2}");
            return new ImageGrid.Tile(pixels, caption);
        }).ToList();
        ImageGrid.Save(path, tiles, valid.Channels, valid.Height, valid.Width);
        return path;
    }

    private static void Resume(Learner learner, CheckpointStore store, string yaml, TextWriter log)
    {
        var info = store.RestoreLatest(learner, msg => log.WriteLine("warning: " + msg))
            ?? throw new UserError($"--resume: no valid checkpoint in {store.Folder}; start the run again without --resume");
        log.WriteLine($"resuming from {info.Path} (epoch {info.Epoch}, step {info.Step})");
        if (info.Config.Trim() != yaml.Trim())
            log.WriteLine("warning: the config differs from the one the checkpoint was written with; continuing with the checkpoint's schedule");
    }

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output) => Predict(modelDir, inputPath, output, Console.Error);

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output, TextWriter warnings)
    {
        using var predictor = VisionPredictor.Load(modelDir);
        return predictor.WriteCsv(inputPath, output, warnings);
    }

    /// <inheritdoc />
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        using var predictor = VisionPredictor.Load(modelDir);
        var (metrics, baseline) = predictor.Evaluate(dataPath, log);
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        string primary = metrics.Keys.First();
        return new RunSummary
        {
            Task = Name,
            MetricsJson = RunSummary.Wrap(metrics),
            Baseline = baseline.Metrics.ToDictionary(),
            BaselineDescription = baseline.Description,
            BeatsBaseline = MetricInfo.Beats(primary, metrics[primary], baseline.Metrics.GetValueOrDefault(primary, double.NaN)),
        };
    }
}
