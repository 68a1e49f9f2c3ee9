namespace HpcLearn.Data.Audio;

/// <summary>
/// Band-limited resampling from one sample rate to another by a Hann-windowed sinc, as
/// torchaudio's <c>functional.resample</c> (method <c>sinc_interp_hann</c>): the low-pass cut-off
/// is <c>rolloff × min(in, out) / 2</c> and the kernel reaches <c>lowpassWidth</c> zero crossings
/// each side. The kernel depends only on where an output sample falls between input samples,
/// so it is computed once per phase: <c>out / gcd(in, out)</c> phases.
/// <para>
/// Output sample j sits at input position <c>j · in / out</c>; the signal is zero outside the clip.
/// The output has <c>round(n · out / in)</c> samples.
/// </para>
/// </summary>
public sealed class Resampler
{
    private readonly int _inStep, _outStep; // in / gcd, out / gcd
    private readonly int[] _start;          // first input offset of each phase, relative to block × _inStep
    private readonly float[][] _weights;

    /// <summary>Builds the kernels for <paramref name="inputRate"/> → <paramref name="outputRate"/>.</summary>
    /// <param name="inputRate">Rate of the signals given to <see cref="Process"/>, in Hz.</param>
    /// <param name="outputRate">Rate of the result, in Hz.</param>
    /// <param name="lowpassWidth">Zero crossings of the sinc on each side. Default 6 (torchaudio's).</param>
    /// <param name="rolloff">Cut-off as a fraction of the lower Nyquist frequency. Default 0.99 (torchaudio's).</param>
    public Resampler(int inputRate, int outputRate, int lowpassWidth = 6, double rolloff = 0.99)
    {
        if (inputRate <= 0 || outputRate <= 0) throw new ArgumentOutOfRangeException(nameof(inputRate), "sample rates must be positive");
        if (lowpassWidth < 1) throw new ArgumentOutOfRangeException(nameof(lowpassWidth), "lowpassWidth must be at least 1");
        if (!(rolloff > 0 && rolloff <= 1)) throw new ArgumentOutOfRangeException(nameof(rolloff), "rolloff must be in (0, 1]");
        InputRate = inputRate;
        OutputRate = outputRate;
        int g = Gcd(inputRate, outputRate);
        _inStep = inputRate / g;
        _outStep = outputRate / g;

        // Cut-off in cycles per input sample × 2: the sinc has zeros every 1/c input samples.
        double c = rolloff * Math.Min(1.0, (double)outputRate / inputRate);
        double reach = lowpassWidth / c;
        _start = new int[_outStep];
        _weights = new float[_outStep][];
        for (int p = 0; p < _outStep; p++)
        {
            double centre = (double)p * _inStep / _outStep;
            int lo = (int)Math.Ceiling(centre - reach), hi = (int)Math.Floor(centre + reach);
            var w = new float[hi - lo + 1];
            for (int i = lo; i <= hi; i++)
            {
                double t = (i - centre) * c;
                double sinc = t == 0 ? 1 : Math.Sin(Math.PI * t) / (Math.PI * t);
                double hann = Math.Cos(Math.PI * t / (2 * lowpassWidth));
                w[i - lo] = (float)(c * sinc * hann * hann);
            }
            _start[p] = lo;
            _weights[p] = w;
        }
    }

    /// <summary>Rate of the input, in Hz.</summary>
    public int InputRate { get; }

    /// <summary>Rate of the output, in Hz.</summary>
    public int OutputRate { get; }

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples: round(n · out / in).</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * OutputRate + InputRate / 2) / InputRate);

    /// <summary>Resamples <paramref name="x"/>; returns a copy when the rates are equal.</summary>
    public float[] Process(ReadOnlySpan<float> x)
    {
        if (InputRate == OutputRate) return x.ToArray();
        var y = new float[OutputLength(x.Length)];
        for (int j = 0; j < y.Length; j++)
        {
            int p = j % _outStep;
            long first = (long)(j / _outStep) * _inStep + _start[p];
            var w = _weights[p];
            int k0 = (int)Math.Max(0, -first), k1 = (int)Math.Min(w.Length, x.Length - first);
            double sum = 0;
            for (int k = k0; k < k1; k++) sum += w[k] * x[(int)(first + k)];
            y[j] = (float)sum;
        }
        return y;
    }

    /// <summary>Resamples <paramref name="x"/> from <paramref name="inputRate"/> to <paramref name="outputRate"/> with the default kernel.</summary>
    public static float[] Resample(ReadOnlySpan<float> x, int inputRate, int outputRate) =>
        inputRate == outputRate ? x.ToArray() : new Resampler(inputRate, outputRate).Process(x);

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }
}
