using HpcLearn.Config;
using System.Globalization;
using HpcLearn.Data;
using HpcLearn.Data.Audio;
using HpcLearn.Evaluation;
using HpcLearn.Evaluation.Reports;
using static TorchSharp.torch;

namespace HpcLearn.Tasks.Audio;

/// <summary>
/// Recordings as normalised log-mel spectrograms (N, 1, mels, frames), split into training and
/// validation sets; the per-band statistics come from the training split only.
/// </summary>
public sealed class AudioData : IDisposable
{
    private AudioData(AudioDataSet set, int[] train, int[] valid, Tensor features, SpectrogramStats stats, DataCard card, AudioDataSet? test, int[] testLabels, Tensor? testFeatures)
    {
        Test = test;
        TestLabels = testLabels;
        TestFeatures = testFeatures;
        Set = set;
        TrainRows = train;
        ValidRows = valid;
        Features = features;
        Stats = stats;
        Card = card;
    }

    /// <summary>The clips as loaded.</summary>
    public AudioDataSet Set { get; }

    /// <summary>Indices of the training clips.</summary>
    public int[] TrainRows { get; }

    /// <summary>Indices of the validation clips.</summary>
    public int[] ValidRows { get; }

    /// <summary>The clips of <c>data.test_path</c>, or null when no test folder is given.</summary>
    public AudioDataSet? Test { get; }

    /// <summary>The training class of each test clip (empty without a test folder).</summary>
    public int[] TestLabels { get; }

    /// <summary>Normalised spectrograms of the test clips with the training statistics, (N, 1, mels, frames); null without a test folder.</summary>
    public Tensor? TestFeatures { get; }

    /// <summary>Whether there are validation clips (none when <c>data.valid_fraction</c> is 0).</summary>
    public bool HasValid => ValidRows.Length > 0;

    /// <summary>Normalised spectrograms of every clip, (N, 1, mels, frames).</summary>
    public Tensor Features { get; }

    /// <summary>Per-band statistics of the training spectrograms.</summary>
    public SpectrogramStats Stats { get; }

    /// <summary>What the data looked like on load.</summary>
    public DataCard Card { get; }

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> Classes => Set.ClassNames;

    /// <summary>Labels of the validation clips, in loader order.</summary>
    public int[] ValidLabels => ValidRows.Select(i => Set.Labels[i]).ToArray();

    /// <summary>Training clips per class.</summary>
    public int[] TrainCounts()
    {
        var counts = new int[Classes.Count];
        foreach (int i in TrainRows) counts[Set.Labels[i]]++;
        return counts;
    }

    /// <summary>
    /// <paramref name="config"/> with <c>audio.sample_rate</c> set to the most common rate of the
    /// WAV files when the source is a folder and the config leaves the rate out (the mel bands then
    /// reach the data's Nyquist frequency, and 8 kHz speech is not upsampled to an empty top half);
    /// says on <paramref name="log"/> which rate was chosen.
    /// </summary>
    public static AudioConfig ResolveSampleRate(AudioConfig config, TextWriter log)
    {
        var defaults = new AudioOptions();
        if (config.Data.Source != "folder" || config.Data.Path is null
            || GivenKeys.Has(config, "audio.sample_rate", config.Audio.SampleRate != defaults.SampleRate)) return config;
        if (WavFolderSource.CommonSampleRate(config.Data.Path) is not { } found) return config;
        int rate = Math.Clamp(found.Rate, 1000, 384000);
        string all = string.Join(", ", found.Counts.OrderByDescending(p => p.Value).Select(p => $"{p.Key} Hz: {p.Value}"));
        log.WriteLine($"audio: sample rate {rate} Hz, the most common rate of the files ({all}); mel bands up to {(config.Audio.FMax ?? rate / 2.0):0} Hz; set audio.sample_rate to choose");
        return config with { Audio = config.Audio with { SampleRate = rate } };
    }

    /// <summary>Loads (or generates), splits, computes and normalises the spectrograms; prints the data summary.</summary>
    public static AudioData Prepare(AudioConfig config, TextWriter log)
    {
        var d = config.Data;
        d.Validate();
        var audio = config.Audio.Validate();
        var set = d.Source == "birdcalls"
            ? SyntheticBirdCalls.Generate(d.PerClass, config.Seed, new SyntheticBirdCallsOptions { SampleRate = audio.SampleRate, ClipSeconds = audio.ClipSeconds, SnrDb = d.SnrDb })
            : WavFolderSource.Load(d.Path!, audio, d.MaxBadFraction);
        (AudioDataSet Set, int[] Labels)? test = d.TestPath is null ? null : LoadTest(d, set, audio);
        var (train, valid) = d.ValidFraction == 0 ? (Enumerable.Range(0, set.Count).ToArray(), [])
            : DataSplit.Stratified(set.Labels.Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray(), d.ValidFraction, config.Seed);
        foreach (var (name, count) in set.ClassNames.Zip(Enumerable.Range(0, set.ClassNames.Length).Select(c => train.Count(i => set.Labels[i] == c))))
            if (count == 0) throw new UserError($"{set.Summary.Source}: class '{name}' has no training clips after the split; add recordings or lower data.valid_fraction");
        using var raw = AudioFeatures.Compute(set.Clips, audio);                 // (N, 1, M, T)
        using var index = tensor(train.Select(i => (long)i).ToArray());
        using var trainRaw = raw.index_select(0, index);
        var stats = SpectrogramStats.Compute(trainRaw);
        var features = stats.Apply(raw);
        Tensor? testFeatures = null;
        if (test is not null)
        {
            using var testRaw = AudioFeatures.Compute(test.Value.Set.Clips, audio);
            testFeatures = stats.Apply(testRaw);
        }
        log.WriteLine(set.Summary.Describe());
        log.WriteLine($"data: {train.Length} training and {valid.Length} validation clips; log-mel {audio.NMels} x {audio.Frames} ({audio.SampleRate} Hz, {audio.ClipSeconds} s)");
        if (test is { Set: var t })
        {
            log.WriteLine($"test: {t.Count} clips from {d.TestPath}, measured once after training; validation: {valid.Length} clips of {d.Path}");
            foreach (var s in t.Summary.Skipped) log.WriteLine($"warning: test file skipped: {s.Path}: {s.Reason}");
            if (t.Summary.Resampled > 0) log.WriteLine($"note: {t.Summary.Resampled} of {t.Count} test clips resampled to {audio.SampleRate} Hz, as the training clips are");
        }
        var warnings = new List<string>();
        if (set.Summary.Skipped.Count > 0)
            warnings.Add($"{set.Summary.Skipped.Count} unreadable WAV file(s) skipped: {string.Join("; ", set.Summary.Skipped.Take(20).Select(s => $"{s.Path} ({s.Reason})"))}");
        var balance = set.ClassNames.Select((n, c) => (n, c)).ToDictionary(p => p.n, p => set.Labels.Count(l => l == p.c));
        if (set.Summary.Resampled > 0)
            warnings.Add($"{set.Summary.Resampled} of {set.Count} clips resampled to {audio.SampleRate} Hz (audio.sample_rate)");
        var card = new DataCard(set.Summary.Source, set.Count + set.Summary.Skipped.Count, train.Length, valid.Length, [], balance, 0, warnings.ToArray());
        return new AudioData(set, train, valid, features, stats, card, test?.Set, test?.Labels ?? [], testFeatures);
    }

    // The test folder is read as the training folder is (same rate, length, resampling) and may hold
    // only classes the training folder has; it is checked here, before the run folder is made.
    private static (AudioDataSet Set, int[] Labels) LoadTest(AudioDataOptions d, AudioDataSet training, AudioOptions audio)
    {
        var test = WavFolderSource.Load(d.TestPath!, audio, d.MaxBadFraction);
        var index = training.ClassNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        foreach (var name in test.ClassNames.Where(n => !index.ContainsKey(n)))
            throw new UserError($"{Path.Combine(d.TestPath!, name)}: data.test_path has class '{name}', which the training folder {d.Path} does not have; training classes: {string.Join(", ", training.ClassNames)}");
        return (test, test.Labels.Select(l => index[test.ClassNames[l]]).ToArray());
    }

    /// <summary>The training batches, with SpecAugment masks drawn per (seed, epoch, batch) when <paramref name="augment"/>.</summary>
    public TensorDataLoader TrainLoader(bool augment, int batchSize, int seed, int rank, int worldSize)
    {
        using var index = tensor(TrainRows.Select(i => (long)i).ToArray());
        var labels = tensor(TrainRows.Select(i => (long)Set.Labels[i]).ToArray());
        return new TensorDataLoader([Features.index_select(0, index)], labels, batchSize, shuffle: true, seed, rank, worldSize)
        {
            Transform = augment ? (batch, epoch, b) => Mask(batch, BatchSeed.Of(seed, epoch, b)) : null,
        };
    }

    /// <summary>The validation batches, in order.</summary>
    public TensorDataLoader ValidLoader(int batchSize)
    {
        using var index = tensor(ValidRows.Select(i => (long)i).ToArray());
        return new TensorDataLoader([Features.index_select(0, index)], tensor(ValidRows.Select(i => (long)Set.Labels[i]).ToArray()), batchSize, shuffle: false);
    }

    /// <summary>The test batches, in order (null without a test folder).</summary>
    public TensorDataLoader? TestLoader(int batchSize) => TestFeatures is null ? null
        : new TensorDataLoader([TestFeatures.alias()], tensor(TestLabels.Select(l => (long)l).ToArray()), batchSize, shuffle: false);

    /// <summary>The trivial baseline on the validation clips: always the most frequent training class.</summary>
    public BaselineResult Baseline() => Baseline(ValidLabels);

    /// <summary>The trivial baseline on clips of the given classes (validation or test): always the most frequent training class.</summary>
    public BaselineResult Baseline(int[] labels) => Evaluation.Baseline.MajorityClass(TrainRows.Select(i => Set.Labels[i]).ToArray(), labels, Classes.Count, Classes.ToArray());

    private static Batch Mask(Batch batch, int seed)
    {
        using var augment = new SpecAugment(new SpecAugmentOptions(), seed);
        var masked = new Batch([augment.Apply(batch.Inputs[0])], batch.Target.alias());
        batch.Dispose();
        return masked;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        TestFeatures?.Dispose();
    }
}
