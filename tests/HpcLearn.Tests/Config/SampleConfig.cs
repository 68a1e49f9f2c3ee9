using HpcLearn.Config;

namespace HpcLearn.Tests.Config;

internal enum SampleActivation { Relu, LeakyRelu, Gelu }

/// <summary>A <c>data:</c> section with strings, a nullable, a list, a mapping and a validation rule.</summary>
internal sealed record SampleData : IValidatable
{
    public string Path { get; init; } = "";
    public string? Target { get; init; }
    public string[] Features { get; init; } = [];
    public double ValidFraction { get; init; } = 0.2;
    public Dictionary<string, string> Rename { get; init; } = new();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Target is not null && Path.Length == 0) yield return ("path", "is required when a target is given");
        if (ValidFraction is <= 0 or >= 1) yield return ("valid_fraction", "must be between 0 and 1");
    }
}

/// <summary>A <c>model:</c> section with every other supported property type.</summary>
internal sealed record SampleModel
{
    public int[] Layers { get; init; } = [64, 32];
    public SampleActivation Activation { get; init; } = SampleActivation.Relu;
    public double? Dropout { get; init; }
    public List<string> Tags { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public bool BatchNorm { get; init; } = true;
    public long MaxParams { get; init; } = 1_000_000;
    public float Momentum { get; init; } = 0.9f;
}

/// <summary>The config of a made-up task <c>sample</c>.</summary>
internal sealed record SampleConfig : RunConfig
{
    public SampleData Data { get; init; } = new();
    public SampleModel Model { get; init; } = new();
}
