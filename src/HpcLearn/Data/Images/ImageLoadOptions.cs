namespace HpcLearn.Data.Images;

/// <summary>How image files become a data set.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>Height every image is resized to. Default 64.</summary>
    public int Height { get; init; } = 64;

    /// <summary>Width every image is resized to. Default 64.</summary>
    public int Width { get; init; } = 64;

    /// <summary>1 (grey) or 3 (RGB); null: 1 when every image is grey, else 3. Default null.</summary>
    public int? Channels { get; init; }

    /// <summary>Largest share of unreadable files tolerated (they are skipped and named); above it loading fails. Default 0.05.</summary>
    public double MaxBadFraction { get; init; } = 0.05;

    /// <summary>Decoding threads; null: the usable cores. Default null.</summary>
    public int? Threads { get; init; }
}
