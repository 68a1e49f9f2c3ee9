using static TorchSharp.torch;

namespace HpcLearn.Tasks.Audio;

/// <summary>Spectrograms drawn as grey images (low frequencies at the bottom, each scaled to its own range) for a contact sheet.</summary>
public static class SpectrogramGrid
{
    /// <summary>One spectrogram (1, M, T) or (M, T) as 8-bit pixels, M rows high and T columns wide.</summary>
    public static byte[] Pixels(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var x = spectrogram.reshape(spectrogram.shape[^2], spectrogram.shape[^1]).flip(0).to_type(ScalarType.Float64);
        var values = x.contiguous().data<double>().ToArray();
        double lo = values.Min(), hi = values.Max(), span = Math.Max(hi - lo, 1e-12);
        return values.Select(v => (byte)Math.Round(255 * (v - lo) / span)).ToArray();
    }
}
