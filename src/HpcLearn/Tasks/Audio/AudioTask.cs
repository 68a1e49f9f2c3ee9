using System.Diagnostics;
using System.Globalization;
using HpcLearn.Config;
using HpcLearn.Data.Images;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;
using HpcLearn.Runs;
using HpcLearn.Runs.Reports;
using HpcLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Audio;

/// <summary>
/// Sound classification: WAV files in a folder per class, or built-in synthetic bird calls, as
/// log-mel spectrograms (normalised per band with training statistics, SpecAugment on training
/// batches) into the image CNN or ResNet. Reports as every classifier does, with the top losses
/// drawn as spectrograms.
/// </summary>
public sealed class AudioTask : IMLTask
{
    /// <summary>The task's name in configs.</summary>
    public const string Name = "audio";

    string IMLTask.Name => Name;

    /// <inheritdoc />
    public string Description => "classify sounds: WAV class folders or built-in bird calls, log-mel spectrograms into a CNN";

    /// <inheritdoc />
    public Type ConfigType => typeof(AudioConfig);

    /// <summary>
    /// More Learner callbacks for its runs, added to the standard ones (which already stop on the
    /// run's <see cref="RunContext.Stop"/>). Default none.
    /// </summary>
    public IReadOnlyList<Callback> Callbacks { get; init; } = [];

    /// <inheritdoc />
    public RunSummary Train(RunConfig config, RunContext context) => Train((AudioConfig)config, context).Summary;

    /// <summary>Trains and returns the summary together with the data (dispose it).</summary>
    public (RunSummary Summary, AudioData Data) Train(AudioConfig config, RunContext ctx)
    {
        var clock = Stopwatch.StartNew();
        config.Model.Validate();
        var device = TorchRuntime.ResolveDevice(config.Device);
        config = AudioData.ResolveSampleRate(config, ctx.Out); // before the run folder: config.yaml and the model record the rate used
        var data = AudioData.Prepare(config, ctx.Out);
        var a = config.Audio;
        // The session seeds libtorch: the model's initial weights come from the run's seed.
        ValidationRules.RequireValidationForEarlyStopping(config.Train, data.HasValid);
        using var session = RunSession.Open(Name, config, ctx, clock.Elapsed.TotalSeconds);
        using var model = VisionModels.Create(config.Model, 1, a.NMels, a.Frames, data.Classes.Count);
        ctx.Out.WriteLine($"network: {config.Model.Arch}, widths [{string.Join(", ", config.Model.StageWidths)}] over {a.NMels} x {a.Frames} spectrograms");
        // With data.valid_fraction 0 the test clips judge the run (and the report describes them).
        using var testLoader = data.TestLoader(256);
        var testSet = testLoader is null ? null : new ClassifierTestSet
        {
            Loader = testLoader, Labels = data.TestLabels, Baseline = data.Baseline(data.TestLabels),
            Description = $"{data.TestLabels.Length} clips of {config.Data.TestPath}",
        };
        var setup = new ClassifierSetup
        {
            Model = model,
            Callbacks = Callbacks,
            Train = data.TrainLoader(config.Data.SpecAugment, config.Train.BatchSize, config.Seed, ctx.Communicator.Rank, ctx.Communicator.Size),
            Valid = data.HasValid ? data.ValidLoader(256) : null,
            Test = testSet,
            Classes = data.Classes,
            ValidLabels = data.HasValid ? data.ValidLabels : data.TestLabels,
            Baseline = data.HasValid ? data.Baseline() : testSet!.Baseline,
            Card = data.Card,
            Details = temperature => new AudioArtifact
            {
                Audio = a, Model = config.Model, Classes = data.Classes.ToArray(), ClassCounts = data.TrainCounts(),
                BandMean = data.Stats.Mean, BandStd = data.Stats.Std, Temperature = temperature,
            }.ToJson(),
            WriteTopLosses = data.HasValid
                ? (runDir, probabilities) => WriteTopLosses(runDir, data, data.Features, data.ValidRows, data.ValidLabels, probabilities)
                : (runDir, probabilities) => WriteTopLosses(runDir, data, data.TestFeatures!, Enumerable.Range(0, data.TestLabels.Length).ToArray(), data.TestLabels, probabilities),
        };
        using (setup.Train)
        using (setup.Valid)
            return (ClassifierRun.Train(session, setup, device), data);
    }

    /// <summary>plots/top-losses.png: spectrograms of the validation (or test) clips the model is most confidently wrong about.</summary>
    /// <param name="runDir">The run folder.</param>
    /// <param name="data">The data (class names, source).</param>
    /// <param name="features">The spectrograms the clips index.</param>
    /// <param name="clips">Each judged clip's row in <paramref name="features"/>.</param>
    /// <param name="truth">Each judged clip's class.</param>
    /// <param name="probabilities">The model's probabilities for the judged clips.</param>
    private static string WriteTopLosses(string runDir, AudioData data, Tensor features, int[] clips, int[] truth, double[][] probabilities)
    {
        var rows = TopLosses.Select(truth, probabilities, 12);
        if (rows.Length == 0) return "none (every validation clip is classified correctly)";
        string dir = Path.Combine(runDir, "plots");
        WriteFailure.CreateDirectory(dir);
        string path = Path.Combine(dir, ReportPlots.TopLossesFile);
        var tiles = rows.Select(i =>
        {
            int clip = clips[i];
            int predicted = Array.IndexOf(probabilities[i], probabilities[i].Max());
            using var spectrogram = features[clip];
            string name = data.Set.Summary.Source.StartsWith("synthetic", StringComparison.Ordinal) ? $"clip {clip}" : $"#{clip}";
            return new ImageGrid.Tile(SpectrogramGrid.Pixels(spectrogram), string.Create(CultureInfo.InvariantCulture,
                $"{data.Classes[predicted]} {probabilities[i][predicted]:F2}\ntrue: {data.Classes[truth[i]]} {probabilities[i][truth[i]]:F2}"));
        }).ToList();
        var a = features.shape;
        ImageGrid.Save(path, tiles, 1, (int)a[2], (int)a[3], columns: 3, tileSize: 200);
        return path;
    }

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output) => Predict(modelDir, inputPath, output, Console.Error);

    /// <inheritdoc />
    public int Predict(string modelDir, string inputPath, TextWriter output, TextWriter warnings)
    {
        using var predictor = AudioPredictor.Load(modelDir);
        return predictor.WriteCsv(inputPath, output, warnings);
    }

    /// <inheritdoc />
    public RunSummary Evaluate(string modelDir, string dataPath, TextWriter log)
    {
        using var predictor = AudioPredictor.Load(modelDir);
        var (metrics, baseline) = predictor.Evaluate(dataPath, log);
        log.WriteLine(MetricsTable.Format(metrics, baseline.Metrics, baseline.Description));
        return RunSummary.Evaluated(Name, metrics, baseline);
    }
}
