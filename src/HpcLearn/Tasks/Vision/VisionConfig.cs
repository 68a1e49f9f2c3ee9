using HpcLearn.Config;
using HpcLearn.Tasks.Shared;

namespace HpcLearn.Tasks.Vision;

/// <summary>An image classification run's config: the shared keys plus <c>data</c> and <c>model</c>.</summary>
public sealed record VisionConfig : RunConfig
{
    /// <summary>Creates a config with the task set to <c>vision</c>.</summary>
    public VisionConfig() => Task = VisionTask.Name;

    /// <summary>Where the images come from and how they are prepared.</summary>
    public VisionDataOptions Data { get; init; } = new();

    /// <summary>The network.</summary>
    public VisionModelOptions Model { get; init; } = new();
}
