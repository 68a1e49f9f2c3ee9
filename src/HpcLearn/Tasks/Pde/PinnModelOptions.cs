using HpcLearn.Config;

namespace HpcLearn.Tasks.Pde;

/// <summary>Config section <c>model</c> of a PDE run: the network u_θ (2 inputs, 1 output, the hidden layers here).</summary>
public sealed record PinnModelOptions : IValidatable
{
    /// <summary>Hidden layer widths. Default eight of 20 (Raissi's Burgers net).</summary>
    public IReadOnlyList<int> Layers { get; init; } = [20, 20, 20, 20, 20, 20, 20, 20];
    /// <summary>tanh (default) or sin.</summary>
    public string Activation { get; init; } = "tanh";
    /// <summary>Float64 parameters and points (slower, more accurate). Default false.</summary>
    public bool Float64 { get; init; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Layers.Count == 0 || Layers.Any(w => w < 1)) yield return ("layers", $"must be one or more positive widths, e.g. [20, 20, 20] (got [{string.Join(", ", Layers)}])");
        if (Activation is not ("tanh" or "sin")) yield return ("activation", $"is '{Activation}'; use tanh or sin");
    }
}
