using HpcLearn.Config;

namespace HpcLearn.Tasks.Games;

/// <summary>The <c>model:</c> section of a games run: the residual policy/value network.</summary>
public sealed record GameNetOptions : IValidatable
{
    /// <summary>Convolution channels. Default 32.</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Residual blocks (two 3×3 convolutions each). Default 2.</summary>
    public int Blocks { get; init; } = 2;

    /// <summary>Hidden units of the value head. Default 64.</summary>
    public int ValueHidden { get; init; } = 64;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Channels < 1) yield return ("channels", "must be at least 1, e.g. 32");
        if (Blocks < 0) yield return ("blocks", "must be 0 or more, e.g. 2");
        if (ValueHidden < 1) yield return ("value_hidden", "must be at least 1, e.g. 64");
    }
}
