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

    /// <summary>
    /// Channels of the policy head's 1×1 convolution, whose cells feed the move logits (AlphaZero's 2,
    /// from Go's 361 cells). Default 2; a model folder without the key has 2.
    /// </summary>
    public int PolicyChannels { get; init; } = 2;

    /// <summary>
    /// Channels of the value head's 1×1 convolution, whose cells feed its hidden layer: AlphaZero's 1
    /// leaves the whole outcome to one number a cell. Default 1; a model folder without the key has 1.
    /// </summary>
    public int ValueChannels { get; init; } = 1;

    /// <summary>
    /// Four fixed input planes computed from the stones inside the network (<see cref="ThreatPlanes"/>):
    /// each side's threats (empty cells that would complete a line), whether the mover moved first,
    /// and the parity of the rows. Default false; a model folder without the key has none.
    /// </summary>
    public bool ThreatPlanes { get; init; }

    /// <summary>The defaults: what a model folder or checkpoint from before a key was added has.</summary>
    public static GameNetOptions Defaults { get; } = new();

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Channels is < 1 or > ArchitectureCheck.MaxWidth) yield return ("channels", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}, e.g. 32");
        if (Blocks is < 0 or > ArchitectureCheck.MaxDepth) yield return ("blocks", $"must be from 0 to {ArchitectureCheck.MaxDepth:N0}, e.g. 2");
        if (ValueHidden is < 1 or > ArchitectureCheck.MaxWidth) yield return ("value_hidden", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}, e.g. 64");
        if (PolicyChannels is < 1 or > ArchitectureCheck.MaxWidth) yield return ("policy_channels", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}, e.g. 2");
        if (ValueChannels is < 1 or > ArchitectureCheck.MaxWidth) yield return ("value_channels", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}, e.g. 1");
    }
}
