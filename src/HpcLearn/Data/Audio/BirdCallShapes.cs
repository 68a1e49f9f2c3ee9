namespace HpcLearn.Data.Audio;

/// <summary>
/// The waveform of one call of each type, unit peak, <c>n</c> samples at <c>rate</c>; random
/// parameters drawn from <c>r</c>. Frequencies stay below 0.45 × rate.
/// </summary>
internal static class BirdCallShapes
{
    /// <summary>Exponential chirp from f0 to f1 under a smooth envelope.</summary>
    public static float[] Sweep(Random r, int n, int rate, bool rising)
    {
        double low = Uniform(r, 1000, 2500), high = Math.Min(low * Uniform(r, 1.6, 2.5), 0.42 * rate);
        double f0 = rising ? low : high, f1 = rising ? high : low;
        return Tone(n, rate, t => f0 * Math.Pow(f1 / f0, t), t => 1, Ramp(n, rate));
    }

    /// <summary>A carrier whose frequency swings fast (12–30 Hz) and whose amplitude is gated into one note per swing.</summary>
    public static float[] Trill(Random r, int n, int rate)
    {
        double fc = Uniform(r, 2000, 4500), depth = Uniform(r, 300, 900), fm = Uniform(r, 12, 30);
        double seconds = (double)n / rate;
        return Tone(n, rate,
            t => fc + depth * Math.Sin(2 * Math.PI * fm * t * seconds),
            t => Math.Pow(Math.Sin(Math.PI * fm * t * seconds), 2),
            Ramp(n, rate));
    }

    /// <summary>A steady fundamental (500–1500 Hz) with 3–5 harmonics of amplitude 1/k.</summary>
    public static float[] HarmonicStack(Random r, int n, int rate)
    {
        double f0 = Uniform(r, 500, 1500);
        int harmonics = Math.Min(r.Next(3, 6), (int)(0.45 * rate / f0));
        double phase0 = Uniform(r, 0, 2 * Math.PI);
        var envelope = Ramp(n, rate);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double v = 0;
            for (int k = 1; k <= harmonics; k++) v += Math.Sin(k * (2 * Math.PI * f0 * i / rate + phase0)) / k;
            x[i] = (float)(v * envelope(i));
        }
        return Normalise(x);
    }

    /// <summary>Broadband clicks (white-noise bursts decaying in 0.5 ms) at a steady 15–40 per second.</summary>
    public static float[] ClickTrain(Random r, int n, int rate)
    {
        double perSecond = Uniform(r, 15, 40), decay = 0.0005 * rate;
        int period = (int)(rate / perSecond), burst = (int)(6 * decay);
        var x = new float[n];
        for (int start = r.Next(Math.Max(1, period / 4)); start < n; start += period)
            for (int j = 0; j < burst && start + j < n; j++)
                x[start + j] = (float)(Normal(r) * Math.Exp(-j / decay));
        return Normalise(x);
    }

    /// <summary>A tone of instantaneous frequency f(u) and amplitude a(u), u = i / n in [0, 1), times an envelope.</summary>
    private static float[] Tone(int n, int rate, Func<double, double> frequency, Func<double, double> amplitude, Func<int, double> envelope)
    {
        var x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++)
        {
            double u = (double)i / n;
            x[i] = (float)(Math.Sin(phase) * amplitude(u) * envelope(i));
            phase += 2 * Math.PI * frequency(u) / rate;
        }
        return Normalise(x);
    }

    /// <summary>Raised-cosine fade in and out of 10 ms (or a quarter of the call if shorter).</summary>
    private static Func<int, double> Ramp(int n, int rate)
    {
        int m = Math.Max(1, Math.Min((int)(0.01 * rate), n / 4));
        return i => i < m ? 0.5 - 0.5 * Math.Cos(Math.PI * i / m)
            : i >= n - m ? 0.5 - 0.5 * Math.Cos(Math.PI * (n - 1 - i) / m) : 1;
    }

    private static float[] Normalise(float[] x)
    {
        float peak = x.Max(Math.Abs);
        if (peak > 0) for (int i = 0; i < x.Length; i++) x[i] /= peak;
        return x;
    }

    public static double Uniform(Random r, double lo, double hi) => lo + (hi - lo) * r.NextDouble();

    /// <summary>Standard normal by Box–Muller.</summary>
    public static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
