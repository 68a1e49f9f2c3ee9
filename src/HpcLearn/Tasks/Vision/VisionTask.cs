using System.Diagnostics;
using System.Globalization;
using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Runs;
using HpcLearn.Runs.Reports;
using HpcLearn.Tasks.Shared;
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

    /// <summary>
    /// More Learner callbacks for its runs, added to the standard ones (which already stop on the
    /// run's <see cref="RunContext.Stop"/>). Default none.
    /// </summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((VisionConfig)config, context).Summary;

    /// <summary>Trains and returns the summary together with the data.</summary>
    public (RunSummary Summary, VisionData Data) Train(VisionConfig config, RunContext ctx)
    {
        var clock = Stopwatch.StartNew();
        config.Model.Validate();
        var device = TorchRuntime.ResolveDevice(config.Device);
        var data = VisionData.Prepare(config, ctx.Out);
        var t = data.Train;
        // The session seeds libtorch: the model's initial weights come from the run's seed.
        ValidationRules.RequireValidationForEarlyStopping(config.Train, data.HasValid);
        using var session = RunSession.Open(Name, config, ctx, clock.Elapsed.TotalSeconds);
        using var model = VisionModels.Create(config.Model, t.Channels, t.Height, t.Width, data.Classes.Count);
        ctx.Out.WriteLine($"network: {config.Model.Arch}, widths [{string.Join(", ", config.Model.StageWidths)}]");
        using var transform = new ImageTransform(data.Mean, data.Std, config.Data.Flip, config.Data.CropPadding, config.Seed);
        // With data.valid_fraction 0 the test images judge the run (and the report describes them).
        using var testLoader = data.TestLoader(transform, 256);
        var testSet = testLoader is null ? null : new ClassifierTestSet
        {
            Loader = testLoader, Labels = data.Test!.Labels, Baseline = data.Baseline(data.Test), Description = $"{data.Test.Count} images of {config.Data.TestPath}",
        };
        var judged = data.HasValid ? data.Valid : data.Test!;
        var setup = new ClassifierSetup
        {
            Model = model,
            Callbacks = Callbacks,
            Train = data.TrainLoader(transform, config.Train.BatchSize, config.Seed, ctx.Communicator.Rank, ctx.Communicator.Size),
            Valid = data.HasValid ? data.ValidLoader(transform, 256) : null,
            Test = testSet,
            Classes = data.Classes,
            ValidLabels = judged.Labels,
            Baseline = data.Baseline(judged),
            Card = data.Card,
            Details = temperature => new VisionArtifact
            {
                Model = config.Model, Channels = t.Channels, Height = t.Height, Width = t.Width, Classes = data.Classes.ToArray(),
                ClassCounts = t.ClassCounts(), Mean = data.Mean, Std = data.Std, Temperature = temperature,
            }.ToJson(),
            WriteTopLosses = (runDir, probabilities) => WriteTopLosses(runDir, judged, probabilities),
        };
        using (setup.Train)
        using (setup.Valid)
            return (ClassifierRun.Train(session, setup, device), data);
    }

    /// <summary>Writes plots/top-losses.png: the validation (or test) images the model is most confidently wrong about.</summary>
    private static string WriteTopLosses(string runDir, ImageSet valid, double[][] probabilities)
    {
        var rows = TopLosses.Select(valid.Labels, probabilities, 16);
        string dir = Path.Combine(runDir, "plots");
        WriteFailure.CreateDirectory(dir);
        string path = Path.Combine(dir, ReportPlots.TopLossesFile);
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
        return RunSummary.Evaluated(Name, metrics, baseline);
    }
}
