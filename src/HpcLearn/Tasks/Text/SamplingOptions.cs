namespace HpcLearn.Tasks.Text;

/// <summary>How to sample: <c>hpclearn generate</c>'s options.</summary>
public sealed record SamplingOptions
{
    /// <summary>Tokens to sample. Default 500.</summary>
    public int Tokens { get; init; } = 500;

    /// <summary>Divides the logits: below 1 sharper and safer, above 1 more varied; 0 always takes the likeliest token. Default 0.8.</summary>
    public double Temperature { get; init; } = 0.8;

    /// <summary>Sample among the k likeliest tokens only; 0 keeps all. Default 40.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Seed of the draws: the same seed, model and prompt give the same text. Null draws a fresh seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Reuse the keys and values of earlier positions (linear in length). Default true; false re-runs the whole context per token (for comparison).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>Throws a <see cref="UserError"/> naming the first bad option.</summary>
    public void Check()
    {
        if (Tokens < 1) throw new UserError($"--tokens {Tokens}: nothing to generate; pass --tokens N with N at least 1");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature)) throw new UserError($"--temperature {Temperature}: must be 0 (greedy) or positive, e.g. 0.8");
        if (TopK < 0) throw new UserError($"--top-k {TopK}: must be 0 (no limit) or positive, e.g. 40");
    }
}
