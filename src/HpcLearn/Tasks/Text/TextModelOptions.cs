using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The <c>model:</c> section: a decoder-only transformer. Defaults are the small model of the
/// benchmark (4 layers, 4 heads, 128-wide embeddings; about 0.8 M parameters).
/// </summary>
public sealed record TextModelOptions : IValidatable
{
    /// <summary>Transformer blocks. Default 4.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Attention heads per block; must divide <see cref="Embedding"/>. Default 4.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Width of the token and position embeddings (the residual stream). Default 128.</summary>
    public int Embedding { get; init; } = 128;

    /// <summary>Dropout on embeddings, attention weights and residual branches while training. Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>
    /// n of the interpolated modified Kneser–Ney count model fitted beside the transformer: a
    /// baseline, and the model mixed in when <see cref="Mix"/>. Default 5.
    /// </summary>
    public int NgramOrder { get; init; } = 5;

    /// <summary>
    /// Score and sample the transformer interpolated with the count model,
    /// λ P_transformer + (1 − λ) P_count, λ fitted on the tune piece (<c>data.tune_fraction</c>).
    /// Default true.
    /// </summary>
    public bool Mix { get; init; } = true;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Layers is < 1 or > ArchitectureCheck.MaxDepth) yield return ("layers", $"must be from 1 to {ArchitectureCheck.MaxDepth:N0}");
        if (Heads < 1) yield return ("heads", "must be at least 1");
        if (Embedding is < 1 or > ArchitectureCheck.MaxWidth) yield return ("embedding", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}");
        else if (Heads >= 1 && Embedding % Heads != 0) yield return ("heads", $"must divide model.embedding ({Embedding}); e.g. {Divisor(Embedding)}");
        if (NgramOrder is < 1 or > 10) yield return ("ngram_order", "must be from 1 to 10, e.g. 5");
        if (Dropout is < 0 or >= 1) yield return ("dropout", "must be in [0, 1)");
    }

    private static int Divisor(int n) => new[] { 4, 2, 1 }.First(d => n % d == 0);
}
