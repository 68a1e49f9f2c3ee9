using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Data.Audio;

/// <summary>
/// Random time and frequency masks on training batches (see <see cref="SpecAugmentOptions"/>).
/// Apply it to training batches only, never to validation, test or prediction inputs. The masks
/// come from a <see cref="Random"/> seeded at construction, so a run is reproducible from its seed.
/// </summary>
public sealed class SpecAugment : IDisposable
{
    private readonly SpecAugmentOptions _options;
    private readonly Random _random;
    private readonly Scalar _maskValue;

    /// <summary>Creates the augmenter with its own random stream.</summary>
    public SpecAugment(SpecAugmentOptions options, int seed)
    {
        _options = options.Validate();
        _random = new Random(seed);
        _maskValue = options.MaskValue;
    }

    /// <summary>A masked copy of a batch shaped (N, M, T) or (N, C, M, T); the input is unchanged.</summary>
    public Tensor Apply(Tensor batch)
    {
        if (batch.dim() is not (3 or 4)) throw new ArgumentException($"batch must be (N, M, T) or (N, C, M, T), got ({string.Join(", ", batch.shape)})", nameof(batch));
        var masked = batch.clone();
        int bands = (int)batch.size(-2), frames = (int)batch.size(-1);
        for (long i = 0, n = batch.size(0); i < n; i++)
        {
            using var example = masked[i];                       // (M, T) or (C, M, T), a view
            Mask(example, example.dim() - 2, bands, _options.FrequencyMasks, _options.MaxFrequencyWidth);
            Mask(example, example.dim() - 1, frames, _options.TimeMasks, _options.MaxTimeWidth);
        }
        return masked;
    }

    private void Mask(Tensor example, long dim, int size, int count, int maxWidth)
    {
        for (int m = 0; m < count; m++)
        {
            int width = _random.Next(Math.Min(maxWidth, size) + 1);
            int start = _random.Next(size - width + 1);
            if (width == 0) continue;
            using var span = example.narrow(dim, start, width);
            span.fill_(_maskValue);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _maskValue.Dispose();
}
