using HpcLearn.Config;

namespace HpcLearn.Tasks.Tabular;

/// <summary>A tabular run's config: the shared keys plus <c>data</c> and <c>model</c>.</summary>
public sealed record TabularConfig : RunConfig, IGivenKeys
{
    private IReadOnlySet<string>? _given;

    /// <inheritdoc />
    IReadOnlySet<string>? IGivenKeys.Given { get => _given; set => _given = value; }

    /// <summary>Creates a config with the task set to <c>tabular</c>.</summary>
    public TabularConfig() => Task = TabularTask.Name;

    /// <summary>Where the data comes from and what to predict.</summary>
    public TabularDataOptions Data { get; init; } = new();

    /// <summary>The network.</summary>
    public TabularModelOptions Model { get; init; } = new();
}
