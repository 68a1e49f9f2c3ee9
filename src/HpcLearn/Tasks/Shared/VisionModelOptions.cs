using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Shared;

/// <summary>The network of an image (or spectrogram) classifier: config section <c>model</c>.</summary>
public sealed record VisionModelOptions
{
    /// <summary><c>cnn</c> (small convolutional network) or <c>resnet</c> (residual blocks). Default cnn.</summary>
    public string Arch { get; init; } = "cnn";

    /// <summary>
    /// Channels of each stage. cnn: one 3x3 conv + batch norm + ReLU + 2x2 max-pool per entry
    /// (default [32, 64]); resnet: a stage of <see cref="Blocks"/> residual blocks per entry, each
    /// stage after the first halving the resolution (default [32, 64, 128]). Multiples of 16 keep
    /// oneDNN's fastest kernels (docs/install.md, "Convolutions checked").
    /// </summary>
    public IReadOnlyList<int>? Widths { get; init; }

    /// <summary>Residual blocks per stage (resnet). Default 1.</summary>
    public int Blocks { get; init; } = 1;

    /// <summary>Width of the hidden fully connected layer (cnn). Default 128.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>Dropout before the last layer. Default 0.25.</summary>
    public double Dropout { get; init; } = 0.25;

    /// <summary>The stage widths in use.</summary>
    public IReadOnlyList<int> StageWidths => Widths ?? (Arch == "resnet" ? [32, 64, 128] : [32, 64]);

    /// <summary>Checks the values; errors name the config key.</summary>
    public void Validate()
    {
        if (Arch is not ("cnn" or "resnet")) throw new UserError($"model.arch: '{Arch}' is not a vision network; use cnn or resnet");
        if (StageWidths.Count == 0 || StageWidths.Any(w => w < 1)) throw new UserError("model.widths: give at least one positive channel count, e.g. [32, 64]");
        if (StageWidths.Count > ArchitectureCheck.MaxDepth || StageWidths.Any(w => w > ArchitectureCheck.MaxWidth))
            throw new UserError($"model.widths: at most {ArchitectureCheck.MaxDepth:N0} stages of at most {ArchitectureCheck.MaxWidth:N0} channels");
        if (Blocks is < 1 or > ArchitectureCheck.MaxDepth) throw new UserError($"model.blocks: {Blocks}; use 1 to {ArchitectureCheck.MaxDepth:N0}");
        if (Hidden is < 1 or > ArchitectureCheck.MaxWidth) throw new UserError($"model.hidden: {Hidden}; use 1 to {ArchitectureCheck.MaxWidth:N0}");
        if (Dropout is < 0 or >= 1) throw new UserError($"model.dropout: {Dropout}; use a value in [0, 1)");
    }

    /// <summary>Checks the options as read from model.json's <paramref name="key"/> (e.g. <c>details.model</c>), before the network is built.</summary>
    public void Check(ArchitectureCheck c, string key)
    {
        if (Arch is not ("cnn" or "resnet")) throw c.Error($"{key}.arch", $"is '{Arch}'; it must be cnn or resnet");
        var widths = StageWidths;
        c.Depth($"{key}.widths (count)", widths.Count);
        for (int i = 0; i < widths.Count; i++) c.Width($"{key}.widths[{i}]", widths[i]);
        c.Depth($"{key}.blocks", Blocks);
        c.Width($"{key}.hidden", Hidden);
        if (!(Dropout is >= 0 and < 1)) throw c.Error($"{key}.dropout", $"is {Dropout}; it must be in [0, 1)");
    }
}
