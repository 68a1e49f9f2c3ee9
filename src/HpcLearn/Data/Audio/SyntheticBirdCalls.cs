using System.Globalization;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Synthetic "bird calls" for demos and fast tests: one call per clip, of five types, with random
/// pitch, duration (<see cref="SyntheticBirdCallsOptions.MinCallSeconds"/>–<see cref="SyntheticBirdCallsOptions.MaxCallSeconds"/>),
/// start time and peak amplitude (0.2–0.8), in white Gaussian noise at
/// <see cref="SyntheticBirdCallsOptions.SnrDb"/> (a clip whose peak would pass 0.99 is scaled down whole). Reproducible from a seed; clip i depends only on
/// the seed and i (label <c>i mod 5</c>), so a larger set begins with the smaller one.
/// <list type="bullet">
/// <item><c>click_train</c>: broadband clicks, 15–40 per second;</item>
/// <item><c>falling_sweep</c>: an exponential chirp down by a factor 1.6–2.5, from 1.6–6.3 kHz;</item>
/// <item><c>harmonic_stack</c>: a steady 500–1500 Hz fundamental with 3–5 harmonics;</item>
/// <item><c>rising_sweep</c>: the same chirp going up, from 1–2.5 kHz;</item>
/// <item><c>trill</c>: notes repeated 12–30 times a second on a carrier of 2–4.5 kHz swinging ±300–900 Hz.</item>
/// </list>
/// </summary>
public static class SyntheticBirdCalls
{
    /// <summary>The classes, sorted, so that labels agree with <see cref="WavFolderSource"/> reading a folder written by <see cref="WriteFolder"/>.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["click_train", "falling_sweep", "harmonic_stack", "rising_sweep", "trill"];

    /// <summary><paramref name="perClass"/> clips of each class, in memory (clip i has label i mod 5).</summary>
    public static AudioDataSet Generate(int perClass, int seed, SyntheticBirdCallsOptions? options = null)
    {
        var o = (options ?? new SyntheticBirdCallsOptions()).Validate();
        if (perClass < 1) throw new UserError($"bird calls: need at least one clip per class (got {perClass})");
        int n = perClass * ClassNames.Count;
        var clips = new float[n][];
        var labels = new int[n];
        Parallel.For(0, n, i =>
        {
            labels[i] = i % ClassNames.Count;
            clips[i] = Clip(labels[i], new Random(unchecked(seed * 1_000_003 + i)), o);
        });
        var summary = new AudioDataSummary($"<synthetic bird calls, seed {seed}, SNR {o.SnrDb.ToString(CultureInfo.InvariantCulture)} dB>",
            ClassNames, Enumerable.Repeat(perClass, ClassNames.Count).ToArray(), [], 0, 0, 0);
        return new AudioDataSet(clips, labels, [.. ClassNames], o.SampleRate, summary);
    }

    /// <summary>
    /// Writes the clips of <see cref="Generate"/> as 16-bit PCM WAV files <c>folder/&lt;class&gt;/&lt;class&gt;_0001.wav</c>,
    /// the layout <see cref="WavFolderSource"/> reads. Refuses to write into a folder that already has files.
    /// </summary>
    public static AudioDataSet WriteFolder(string folder, int perClass, int seed, SyntheticBirdCallsOptions? options = null)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new UserError($"{folder}: folder is not empty; choose a new folder for the generated bird calls");
        var set = Generate(perClass, seed, options);
        foreach (var name in ClassNames) Directory.CreateDirectory(Path.Combine(folder, name));
        var index = new int[ClassNames.Count];
        for (int i = 0; i < set.Count; i++)
        {
            string name = ClassNames[set.Labels[i]];
            string file = Path.Combine(folder, name, $"{name}_{++index[set.Labels[i]]:D4}.wav");
            WavWriter.Write(file, set.Clips[i], set.SampleRate, WavSampleFormat.Pcm16);
        }
        return set;
    }

    private static float[] Clip(int label, Random r, SyntheticBirdCallsOptions o)
    {
        int clipSamples = o.ClipSamples, rate = o.SampleRate;
        int callSamples = Math.Min(clipSamples, (int)(BirdCallShapes.Uniform(r, o.MinCallSeconds, o.MaxCallSeconds) * rate));
        var call = ClassNames[label] switch
        {
            "click_train" => BirdCallShapes.ClickTrain(r, callSamples, rate),
            "falling_sweep" => BirdCallShapes.Sweep(r, callSamples, rate, rising: false),
            "harmonic_stack" => BirdCallShapes.HarmonicStack(r, callSamples, rate),
            "rising_sweep" => BirdCallShapes.Sweep(r, callSamples, rate, rising: true),
            _ => BirdCallShapes.Trill(r, callSamples, rate),
        };
        double amplitude = BirdCallShapes.Uniform(r, 0.2, 0.8);
        int start = r.Next(clipSamples - callSamples + 1);

        double callPower = call.Average(v => (double)v * v) * amplitude * amplitude;
        double noiseStd = Math.Sqrt(callPower / Math.Pow(10, o.SnrDb / 10));
        var x = new float[clipSamples];
        for (int i = 0; i < clipSamples; i++) x[i] = (float)(noiseStd * BirdCallShapes.Normal(r));
        for (int i = 0; i < callSamples; i++) x[start + i] += (float)(amplitude * call[i]);
        // Scale a clip that would clip rather than clamp it: clamping would change the SNR.
        float peak = x.Max(Math.Abs);
        if (peak > 0.99f) for (int i = 0; i < clipSamples; i++) x[i] *= 0.99f / peak;
        return x;
    }
}
