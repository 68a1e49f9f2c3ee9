using static TorchSharp.torch;

namespace HpcLearn.Tasks.Shared;

/// <summary>Builds the network named by <see cref="VisionModelOptions.Arch"/>.</summary>
public static class VisionModels
{
    /// <summary>A fresh network for C x H x W inputs and <paramref name="classes"/> classes.</summary>
    public static nn.Module<Tensor[], Tensor> Create(VisionModelOptions options, int channels, int height, int width, int classes)
    {
        options.Validate();
        return options.Arch == "resnet"
            ? new ResNet(channels, classes, options)
            : new SmallCnn(channels, height, width, classes, options);
    }

    /// <summary>The parameters <see cref="Create"/> would build, computed without building it (in double: it cannot overflow).</summary>
    public static double CountParameters(VisionModelOptions options, int channels, int height, int width, int classes)
    {
        var widths = options.StageWidths;
        double count = 0, c = channels;
        if (options.Arch == "resnet")
        {
            count += 9 * c * widths[0] + 2.0 * widths[0];   // stem conv + batch norm
            c = widths[0];
            for (int s = 0; s < widths.Count; s++)
                for (int b = 0; b < options.Blocks; b++)
                {
                    double o = widths[s];
                    bool project = (s > 0 && b == 0) || c != o;
                    count += 9 * c * o + 2 * o + 9 * o * o + 2 * o + (project ? c * o + 2 * o : 0);
                    c = o;
                }
            return count + (c + 1) * classes;
        }
        long h = height, w = width;
        foreach (int o in widths)
        {
            count += 9 * c * o + 2.0 * o;   // conv without bias + batch norm
            if (h >= 2 && w >= 2) { h /= 2; w /= 2; }
            c = o;
        }
        return count + (c * Math.Min(h, 7) * Math.Min(w, 7) + 1) * options.Hidden + (options.Hidden + 1.0) * classes;
    }
}
