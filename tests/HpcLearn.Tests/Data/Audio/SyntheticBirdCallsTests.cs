using HpcLearn.Data.Audio;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Data.Audio;

public sealed class SyntheticBirdCallsTests
{
    private const int Rate = 16000;

    [Fact]
    public void The_same_seed_gives_identical_samples_and_a_larger_set_starts_with_the_smaller()
    {
        var a = SyntheticBirdCalls.Generate(3, seed: 5);
        var b = SyntheticBirdCalls.Generate(3, seed: 5);
        var larger = SyntheticBirdCalls.Generate(4, seed: 5);
        var other = SyntheticBirdCalls.Generate(3, seed: 6);

        Assert.Equal(15, a.Count);
        Assert.Equal([0, 1, 2, 3, 4, 0], a.Labels[..6]);
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(a.Clips[i], b.Clips[i]);
            Assert.Equal(a.Clips[i], larger.Clips[i]);
            Assert.NotEqual(a.Clips[i], other.Clips[i]);
            Assert.Equal(Rate, a.Clips[i].Length);
        }
    }

    /// <summary>Magnitude spectrogram (frames, 257 bins of 31.25 Hz) with 32 ms windows every 10 ms.</summary>
    private static float[][] Spectrogram(float[] clip)
    {
        using var window = hann_window(512);
        using var spec = stft(tensor(clip), 512, hop_length: 160, window: window, return_complex: true).abs().t().contiguous();  // (T, F)
        var flat = spec.data<float>().ToArray();
        return Enumerable.Range(0, (int)spec.shape[0]).Select(t => flat.AsSpan(t * 257, 257).ToArray()).ToArray();
    }

    /// <summary>Frames holding the call: energy 10× above the quietest tenth of the frames (noise only).</summary>
    private static float[][] Active(float[][] frames)
    {
        var energy = frames.Select(f => f.Sum(v => (double)v * v)).ToArray();
        double floor = energy.Order().ElementAt(energy.Length / 10);
        return frames.Where((_, t) => energy[t] > 10 * floor).ToArray();
    }

    private static double PeakHz(float[] frame) => Array.IndexOf(frame, frame.Max()) * 31.25;

    private static double Slope(double[] y)
    {
        double tMean = (y.Length - 1) / 2.0, yMean = y.Average();
        return y.Select((v, t) => (t - tMean) * (v - yMean)).Sum() / y.Select((_, t) => (t - tMean) * (t - tMean)).Sum() * 100;   // Hz per second
    }

    private static double Flatness(float[][] frames)
    {
        var power = Enumerable.Range(5, 240).Select(k => frames.Average(f => (double)f[k] * f[k]) + 1e-12).ToArray();
        return Math.Exp(power.Average(Math.Log)) / power.Average();
    }

    /// <summary>Total movement of the peak frequency over its net change: 1 for a clean sweep, large for a trill.</summary>
    private static double Zigzag(double[] track)
    {
        double total = track.Zip(track.Skip(1), (a, b) => Math.Abs(b - a)).Sum();
        return total / Math.Max(31.25, Math.Abs(track[^1] - track[0]));
    }

    [Fact]
    public void Each_call_type_shows_its_defining_feature()
    {
        var set = SyntheticBirdCalls.Generate(6, seed: 11, new SyntheticBirdCallsOptions { SnrDb = 20 });
        var byClass = SyntheticBirdCalls.ClassNames.ToDictionary(n => n, _ => new List<float[][]>());
        for (int i = 0; i < set.Count; i++) byClass[set.ClassNames[set.Labels[i]]].Add(Active(Spectrogram(set.Clips[i])));

        foreach (var frames in byClass["rising_sweep"]) Assert.True(Slope(frames.Select(PeakHz).ToArray()) > 1000, "rising sweep goes up");
        foreach (var frames in byClass["falling_sweep"]) Assert.True(Slope(frames.Select(PeakHz).ToArray()) < -1000, "falling sweep goes down");
        foreach (var name in new[] { "rising_sweep", "falling_sweep" })
            foreach (var frames in byClass[name]) Assert.InRange(Zigzag(frames.Select(PeakHz).ToArray()), 0.9, 1.6);
        foreach (var frames in byClass["trill"]) Assert.True(Zigzag(frames.Select(PeakHz).ToArray()) > 3, "trill swings up and down");

        // Broadband clicks are flat; every tonal call is peaky.
        double clickMin = byClass["click_train"].Min(Flatness);
        double tonalMax = byClass.Where(kv => kv.Key != "click_train").SelectMany(kv => kv.Value).Max(Flatness);
        Assert.True(clickMin > 3 * tonalMax, $"click flatness {clickMin} vs tonal {tonalMax}");

        // A harmonic stack has strong energy at twice (and three times) its fundamental; a sweep's or trill's band does not reach there.
        double HarmonicRatio(float[][] frames)
        {
            var mean = Enumerable.Range(0, 257).Select(k => frames.Average(f => (double)f[k])).ToArray();
            int f0 = Array.IndexOf(mean, mean[5..].Max());
            double Around(int k) => k + 1 < 257 ? mean[(k - 1)..(k + 2)].Max() : 0;
            return Math.Min(Around(2 * f0), Around(3 * f0)) / mean[f0];
        }
        Assert.All(byClass["harmonic_stack"], frames => Assert.True(HarmonicRatio(frames) > 0.25, $"stack {HarmonicRatio(frames)}"));
        foreach (var name in new[] { "rising_sweep", "falling_sweep", "trill" })
            Assert.All(byClass[name], frames => Assert.True(HarmonicRatio(frames) < 0.2, $"{name} {HarmonicRatio(frames)}"));
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(20.0)]
    public void The_noise_level_follows_the_snr(double snr)
    {
        // A 0.2 s call in 1 s: the 30 quietest of 40 chunks of 25 ms hold noise only (the call spans at most 9).
        var set = SyntheticBirdCalls.Generate(4, seed: 2, new SyntheticBirdCallsOptions { SnrDb = snr, MinCallSeconds = 0.2, MaxCallSeconds = 0.2 });
        foreach (var clip in set.Clips)
        {
            double noise = clip.Chunk(400).Select(b => b.Average(v => (double)v * v)).Order().Take(30).Average();
            double call = clip.Sum(v => (double)v * v) / 3200 - noise * 16000 / 3200;   // call energy over its 3200 samples
            Assert.InRange(10 * Math.Log10(call / noise), snr - 1, snr + 1);
        }
    }

    [Fact]
    public void A_written_folder_reads_back_with_the_same_labels_and_samples()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "calls");
        var written = SyntheticBirdCalls.WriteFolder(root, 2, seed: 9);

        var read = WavFolderSource.Load(root, new AudioOptions());

        Assert.Equal(written.ClassNames, read.ClassNames);
        Assert.Equal(10, read.Count);
        Assert.Equal(Path.Combine(root, "trill", "trill_0002.wav"), Directory.GetFiles(Path.Combine(root, "trill")).Order().Last());
        // Folder order is per class; generation order interleaves: clip i of class c is generated index i*5 + c.
        for (int j = 0; j < 10; j++)
        {
            int c = read.Labels[j], i = j % 2;
            var original = written.Clips[i * 5 + c];
            Assert.Equal(c, j / 2);
            for (int s = 0; s < original.Length; s++) Assert.Equal(original[s], read.Clips[j][s], 1.0 / 32768);
        }
        Assert.Contains("not empty", Assert.Throws<UserError>(() => SyntheticBirdCalls.WriteFolder(root, 1, 1)).Message);
    }
}
