using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Text;

/// <summary>The <c>data:</c> section of a text config: which text, how it is tokenised and split.</summary>
public sealed record TextDataOptions : IValidatable
{
    /// <summary>
    /// A UTF-8 text file, or a folder whose files (sorted by name, hidden ones skipped) are read
    /// one after another. Null uses the built-in corpus (<see cref="BuiltinSentences"/>).
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Sentences of the built-in corpus (a small English grammar) when no path is given. Default 12000 (about 0.5 MB).</summary>
    public int BuiltinSentences { get; init; } = 12000;

    /// <summary>Character or byte tokens. Default char.</summary>
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Char;

    /// <summary>Context length: tokens the model sees at once (and the longest attention span). Default 64.</summary>
    public int BlockSize { get; init; } = 64;

    /// <summary>The share at the end of the text held out for validation (a contiguous tail, not a shuffle). Default 0.1.</summary>
    public double ValidFraction { get; init; } = 0.1;

    /// <summary>
    /// The share just before the validation split held out from the transformer's training: the
    /// weight of the count-model mixture (<c>model.mix</c>) is fitted there, never on the scored
    /// validation text. The count models do count it. 0: no tune piece (and no mixture). Default 0.05.
    /// </summary>
    public double TuneFraction { get; init; } = 0.05;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ValidFraction is <= 0 or >= 1) yield return ("valid_fraction", "must be between 0 and 1 (exclusive), e.g. 0.1");
        if (TuneFraction is < 0 or >= 1 || TuneFraction + ValidFraction >= 1) yield return ("tune_fraction", "must be in [0, 1) with data.tune_fraction + data.valid_fraction < 1, e.g. 0.05 (0: no mixture)");
        if (BlockSize is < 2 or > ArchitectureCheck.MaxWidth) yield return ("block_size", $"must be from 2 to {ArchitectureCheck.MaxWidth:N0}");
        if (BuiltinSentences < 10) yield return ("builtin_sentences", "must be at least 10");
    }
}
