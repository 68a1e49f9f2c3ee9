using HpcLearn.Config;
using HpcLearn.Data.Audio;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tasks.Vision;

namespace HpcLearn.Tasks.Audio;

/// <summary>A sound classification run's config: the shared keys plus <c>data</c>, <c>audio</c> and <c>model</c>.</summary>
public sealed record AudioConfig : RunConfig, IGivenKeys
{
    private IReadOnlySet<string>? _given;

    /// <inheritdoc />
    IReadOnlySet<string>? IGivenKeys.Given { get => _given; set => _given = value; }

    /// <summary>Creates a config with the task set to <c>audio</c>.</summary>
    public AudioConfig() => Task = AudioTask.Name;

    /// <summary>Where the recordings come from.</summary>
    public AudioDataOptions Data { get; init; } = new();

    /// <summary>
    /// Sample rate, clip length and the log-mel spectrogram. With a folder of WAV files and no
    /// <c>audio.sample_rate</c>, the rate is the files' most common one (<see cref="AudioData.ResolveSampleRate"/>).
    /// </summary>
    public AudioOptions Audio { get; init; } = new();

    /// <summary>The CNN over the spectrogram (the image networks; default widths [16, 32, 64]).</summary>
    public VisionModelOptions Model { get; init; } = new() { Widths = [16, 32, 64] };
}
