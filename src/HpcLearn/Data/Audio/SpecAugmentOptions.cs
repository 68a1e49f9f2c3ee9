namespace HpcLearn.Data.Audio;

/// <summary>
/// SpecAugment masking (Park et al., 2019) without time warping: each example gets
/// <see cref="FrequencyMasks"/> bands of up to <see cref="MaxFrequencyWidth"/> mel bins and
/// <see cref="TimeMasks"/> spans of up to <see cref="MaxTimeWidth"/> frames set to
/// <see cref="MaskValue"/>. Widths are uniform in [0, max]; positions uniform where the mask fits.
/// </summary>
public sealed record SpecAugmentOptions
{
    /// <summary>Frequency masks per example. Default 2.</summary>
    public int FrequencyMasks { get; init; } = 2;

    /// <summary>Largest frequency mask, in mel bins (SpecAugment's F). Default 8.</summary>
    public int MaxFrequencyWidth { get; init; } = 8;

    /// <summary>Time masks per example. Default 2.</summary>
    public int TimeMasks { get; init; } = 2;

    /// <summary>Largest time mask, in frames (SpecAugment's T). Default 10 (100 ms at the default hop).</summary>
    public int MaxTimeWidth { get; init; } = 10;

    /// <summary>Value written into masked cells. Default 0: the band mean once <see cref="SpectrogramStats"/> is applied.</summary>
    public float MaskValue { get; init; }

    /// <summary>Checks the options; throws a one-line <see cref="UserError"/>.</summary>
    public SpecAugmentOptions Validate()
    {
        if (FrequencyMasks < 0 || TimeMasks < 0) throw new UserError($"spec_augment: mask counts must be >= 0 (got frequency_masks {FrequencyMasks}, time_masks {TimeMasks})");
        if (MaxFrequencyWidth < 0 || MaxTimeWidth < 0) throw new UserError($"spec_augment: mask widths must be >= 0 (got max_frequency_width {MaxFrequencyWidth}, max_time_width {MaxTimeWidth})");
        if (!float.IsFinite(MaskValue)) throw new UserError("spec_augment: mask_value must be a finite number");
        return this;
    }
}
