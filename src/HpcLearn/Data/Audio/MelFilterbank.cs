namespace HpcLearn.Data.Audio;

/// <summary>
/// Triangular mel filters over the bins of a one-sided FFT, as torchaudio's
/// <c>functional.melscale_fbanks</c> with <c>norm=None</c>: <c>nMels + 2</c> points equally spaced in
/// mels between <c>fMin</c> and <c>fMax</c>; filter m rises linearly (in hertz) from point m to
/// point m+1, where it is 1, and falls back to 0 at point m+2. Filters are not area-normalised,
/// so a sine's power lands in the filters around it with weights up to 1.
/// </summary>
public static class MelFilterbank
{
    /// <summary>Hertz → mels.</summary>
    public static double HzToMel(double hz, MelScale scale) => scale switch
    {
        MelScale.Htk => 2595.0 * Math.Log10(1.0 + hz / 700.0),
        _ => hz < 1000 ? 3.0 * hz / 200.0 : 15.0 + Math.Log(hz / 1000.0) / (Math.Log(6.4) / 27.0),
    };

    /// <summary>Mels → hertz (inverse of <see cref="HzToMel"/>).</summary>
    public static double MelToHz(double mel, MelScale scale) => scale switch
    {
        MelScale.Htk => 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0),
        _ => mel < 15 ? 200.0 * mel / 3.0 : 1000.0 * Math.Exp((mel - 15.0) * Math.Log(6.4) / 27.0),
    };

    /// <summary>
    /// The filters as a row-major (nMels, nFft/2 + 1) matrix: row m holds filter m's weight on
    /// each FFT bin, bin k being at <c>k · (sampleRate / 2) / (nFft / 2)</c> Hz.
    /// </summary>
    public static float[] Create(int nFft, int sampleRate, int nMels, double fMin, double fMax, MelScale scale)
    {
        int nFreqs = nFft / 2 + 1;
        double mMin = HzToMel(fMin, scale), mMax = HzToMel(fMax, scale);
        var points = new double[nMels + 2];
        for (int i = 0; i < points.Length; i++) points[i] = MelToHz(mMin + (mMax - mMin) * i / (nMels + 1), scale);

        var fb = new float[nMels * nFreqs];
        for (int k = 0; k < nFreqs; k++)
        {
            double f = (double)(sampleRate / 2) * k / (nFreqs - 1);
            for (int m = 0; m < nMels; m++)
            {
                double up = (f - points[m]) / (points[m + 1] - points[m]);
                double down = (points[m + 2] - f) / (points[m + 2] - points[m + 1]);
                fb[m * nFreqs + k] = (float)Math.Max(0, Math.Min(up, down));
            }
        }
        return fb;
    }
}
