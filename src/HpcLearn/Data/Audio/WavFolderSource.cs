using System.Collections.Concurrent;

namespace HpcLearn.Data.Audio;

/// <summary>
/// A folder with one sub-folder per class, <c>root/&lt;label&gt;/*.wav</c> (labels are the folder
/// names, sorted ordinally; hidden folders and files other than <c>.wav</c> are ignored). Every
/// file is read with <see cref="WavReader"/>, mixed to mono, resampled to
/// <see cref="AudioOptions.SampleRate"/> and brought to <see cref="AudioOptions.ClipSamples"/>
/// (centre crop or zero pad). Files that cannot be read (corrupt, truncated, unsupported encoding,
/// empty) are skipped and named in the summary.
/// </summary>
public static class WavFolderSource
{
    /// <summary>Default of <c>maxBadFraction</c>: at most 5% of the files may be skipped.</summary>
    public const double DefaultMaxBadFraction = 0.05;

    /// <summary>Loads the folder.</summary>
    /// <param name="root">The folder holding one sub-folder per class.</param>
    /// <param name="options">Target rate and clip length (validated here).</param>
    /// <param name="maxBadFraction">Largest fraction of files that may be skipped before the load is refused. Default 0.05.</param>
    /// <exception cref="UserError">The folder is missing, has fewer than two classes, a class without usable files,
    /// or more bad files than <paramref name="maxBadFraction"/> allows.</exception>
    public static AudioDataSet Load(string root, AudioOptions options, double maxBadFraction = DefaultMaxBadFraction)
    {
        options.Validate();
        if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) throw new UserError($"audio: max_bad_fraction must be between 0 and 1 (got {maxBadFraction})");
        if (!Directory.Exists(root)) throw new UserError($"{root}: folder not found; expected {root}/<label>/*.wav");

        var classes = Directory.GetDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (classes.Length == 0) throw new UserError($"{root}: no class folders; put each class's recordings in {root}/<label>/*.wav");
        if (classes.Length == 1) throw new UserError($"{root}: only one class folder ({Path.GetFileName(classes[0])}); classification needs at least two");

        var files = new List<(string Path, int Label)>();
        for (int c = 0; c < classes.Length; c++)
        {
            var wavs = Directory.GetFiles(classes[c])
                .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith('.'))
                .Order(StringComparer.Ordinal).ToArray();
            if (wavs.Length == 0) throw new UserError($"{classes[c]}: class folder has no .wav files; add recordings or remove the folder");
            files.AddRange(wavs.Select(f => (f, c)));
        }

        var results = new Loaded[files.Count];
        var resamplers = new ConcurrentDictionary<int, Resampler>();
        Parallel.For(0, files.Count, i => results[i] = LoadOne(files[i].Path, options, resamplers));

        var skipped = results.Select((r, i) => r.Error is null ? null : new SkippedFile(files[i].Path, r.Error)).OfType<SkippedFile>().ToList();
        if (skipped.Count > maxBadFraction * files.Count)
            throw new UserError($"{root}: {skipped.Count} of {files.Count} files could not be read ({100.0 * skipped.Count / files.Count:0.#}%, more than max_bad_fraction {maxBadFraction}); first: {skipped[0].Path}: {skipped[0].Reason}");

        var kept = Enumerable.Range(0, files.Count).Where(i => results[i].Error is null).ToArray();
        var names = classes.Select(d => Path.GetFileName(d)).ToArray();
        var counts = new int[classes.Length];
        foreach (int i in kept) counts[files[i].Label]++;
        int empty = Array.IndexOf(counts, 0);
        if (empty >= 0) throw new UserError($"{classes[empty]}: none of the class's .wav files could be read (see the skipped files); fix or replace them");

        var summary = new AudioDataSummary(root, names, counts, skipped,
            kept.Count(i => results[i].Resampled), kept.Count(i => results[i].Cropped), kept.Count(i => results[i].Padded));
        return new AudioDataSet(kept.Select(i => results[i].Clip!).ToArray(), kept.Select(i => files[i].Label).ToArray(), names, options.SampleRate, summary);
    }

    /// <summary>
    /// The most common sample rate among the <c>.wav</c> files of the class folders under
    /// <paramref name="root"/> (the higher one on a tie, so less is thrown away), read from their
    /// headers, with how many files have each rate; null when no header can be read.
    /// </summary>
    public static (int Rate, IReadOnlyDictionary<int, int> Counts)? CommonSampleRate(string root)
    {
        if (!Directory.Exists(root)) return null;
        var files = Directory.GetDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.'))
            .SelectMany(d => Directory.GetFiles(d).Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith('.')))
            .ToArray();
        var rates = new int?[files.Length];
        Parallel.For(0, files.Length, i => rates[i] = WavReader.PeekSampleRate(files[i]));
        var counts = rates.OfType<int>().GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        if (counts.Count == 0) return null;
        int rate = counts.OrderByDescending(p => p.Value).ThenByDescending(p => p.Key).First().Key;
        return (rate, counts);
    }

    /// <summary>
    /// One file prepared as <see cref="Load"/> prepares each clip (mono, resampled, centre crop or
    /// pad to <see cref="AudioOptions.ClipSamples"/>): for predicting on single recordings.
    /// </summary>
    /// <exception cref="CorruptWavException">The file is truncated or not a valid WAV.</exception>
    /// <exception cref="UserError">The file is missing, unreadable, in an unsupported encoding, or has no samples.</exception>
    public static float[] LoadFile(string path, AudioOptions options)
    {
        var wav = WavReader.Read(path);
        if (wav.Samples.Length == 0) throw new UserError($"{path}: the WAV file has no samples");
        var samples = Resampler.Resample(wav.Samples, wav.SampleRate, options.Validate().SampleRate);
        return ClipLength.Fit(samples, options.ClipSamples);
    }

    private readonly record struct Loaded(float[]? Clip, string? Error, bool Resampled, bool Cropped, bool Padded);

    private static Loaded LoadOne(string path, AudioOptions options, ConcurrentDictionary<int, Resampler> resamplers)
    {
        WavClip wav;
        try { wav = WavReader.Read(path); }
        catch (CorruptWavException e) { return new Loaded(null, "corrupt WAV: " + e.Reason, false, false, false); }
        catch (UserError e) { return new Loaded(null, e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message, false, false, false); }
        if (wav.Samples.Length == 0) return new Loaded(null, "no samples", false, false, false);

        bool resample = wav.SampleRate != options.SampleRate;
        var samples = resample
            ? resamplers.GetOrAdd(wav.SampleRate, rate => new Resampler(rate, options.SampleRate)).Process(wav.Samples)
            : wav.Samples;
        int n = options.ClipSamples;
        return new Loaded(ClipLength.Fit(samples, n), null, resample, samples.Length > n, samples.Length < n);
    }
}
