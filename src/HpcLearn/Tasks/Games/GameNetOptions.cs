using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Games;

/// <summary>The <c>model:</c> section of a games run: the residual policy/value network.</summary>
public sealed record GameNetOptions : IValidatable
{
    /// <summary>Convolution channels; multiples of 16 keep oneDNN's fastest kernels (docs/install.md, "Convolutions checked"). Default 32.</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Residual blocks (two 3×3 convolutions each). Default 2.</summary>
    public int Blocks { get; init; } = 2;

    /// <summary>Hidden units of the value head. Default 64.</summary>
    public int ValueHidden { get; init; } = 64;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Channels is < 1 or > ArchitectureCheck.MaxWidth) yield return ("channels", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}, e.g. 32");
        if (Blocks is < 0 or > ArchitectureCheck.MaxDepth) yield return ("blocks", $"must be from 0 to {ArchitectureCheck.MaxDepth:N0}, e.g. 2");
        if (ValueHidden is < 1 or > ArchitectureCheck.MaxWidth) yield return ("value_hidden", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}, e.g. 64");
    }
}
