using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Per-mel-band normalisation: the mean and standard deviation of each band over every frame of
/// every training spectrogram. Computed on the training split only and stored with the model,
/// then applied unchanged to validation, test and prediction inputs.
/// </summary>
/// <param name="Mean">Mean log-mel value of each band.</param>
/// <param name="Std">Population standard deviation of each band (at least <see cref="MinStd"/>, so a constant band maps to 0, not to infinity).</param>
public sealed record SpectrogramStats(float[] Mean, float[] Std)
{
    /// <summary>Floor of <see cref="Std"/>.</summary>
    public const float MinStd = 1e-5f;

    /// <summary>Number of mel bands.</summary>
    public int Bands => Mean.Length;

    /// <summary>Statistics of training spectrograms shaped (N, M, T) or (N, 1, M, T); accumulated in float64.</summary>
    public static SpectrogramStats Compute(Tensor training)
    {
        if (training.dim() is not (3 or 4) || training.shape[0] == 0)
            throw new ArgumentException($"spectrograms must be (N, M, T) or (N, 1, M, T) with N > 0, got ({string.Join(", ", training.shape)})", nameof(training));
        using var scope = NewDisposeScope();
        var x = training.to_type(float64);
        var bands = x.dim() == 4 ? x.select(1, 0) : x;                  // (N, M, T)
        var perBand = bands.transpose(0, 1).reshape(bands.shape[1], -1);  // (M, N·T)
        var mean = perBand.mean([1]);
        var std = perBand.std(1, unbiased: false).clamp_min(MinStd);
        return new SpectrogramStats(mean.to_type(float32).data<float>().ToArray(), std.to_type(float32).data<float>().ToArray());
    }

    /// <summary>(x − mean) / std per band, for spectrograms shaped (..., M, T). Returns a new float32 tensor.</summary>
    public Tensor Apply(Tensor spectrograms)
    {
        if (spectrograms.dim() < 2 || spectrograms.shape[^2] != Bands)
            throw new ArgumentException($"spectrograms must be (..., {Bands}, T), got ({string.Join(", ", spectrograms.shape)})", nameof(spectrograms));
        using var scope = NewDisposeScope();
        var mean = tensor(Mean).view(Bands, 1);   // (M, 1)
        var std = tensor(Std).view(Bands, 1);     // (M, 1)
        return spectrograms.to_type(float32).sub(mean).div_(std).MoveToOuterDisposeScope();
    }
}
