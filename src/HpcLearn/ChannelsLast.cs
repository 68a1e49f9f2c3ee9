using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpcLearn;

/// <summary>
/// Runs 2-D convolutions in the channels-last ("NHWC") memory layout on the CPU, which libtorch then
/// keeps through batch norm, ReLU and pooling. The parameters stay as they are (contiguous): each
/// call copies the weight into channels-last strides (a few thousand numbers; autograd carries the
/// gradient back), and libtorch follows the weight's layout.
/// <para>
/// Why: libtorch's default (NCHW) kernels for batch norm, ReLU's gradient and max-pooling are
/// several times slower than its channels-last ones on images of this size. A training step of the
/// small Fashion-MNIST CNN (batch 128, 2 threads, AMD EPYC Zen 4) took 43–51 ms in NCHW and 24–27 ms
/// this way; PyTorch 1.13 on the same machine 39–45 ms and, with <c>channels_last</c>, 24 ms
/// (docs/benchmarks.md). Values are the same computation in another summation order (float32
/// rounding). <c>HPCLEARN_CHANNELS_LAST=off</c> keeps NCHW; on other devices nothing changes (not
/// measured there).
/// </para>
/// </summary>
public static class ChannelsLast
{
    /// <summary>Whether convolutions on the CPU run channels-last in this process (<c>HPCLEARN_CHANNELS_LAST=off</c>: no).</summary>
    public static bool Enabled { get; } =
        !string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_CHANNELS_LAST"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="conv"/> applied to <paramref name="x"/> (B, C, H, W), channels-last where
    /// <see cref="Enabled"/> and <paramref name="x"/> is on the CPU; else <c>conv.forward(x)</c>. The
    /// result is the same tensor either way, up to float rounding; only its strides differ.
    /// </summary>
    public static Tensor Forward(Conv2d conv, Tensor x)
    {
        if (!Enabled || x.device_type != DeviceType.CPU || x.dim() != 4 || conv.padding_type is not null   // "same"/"valid": as the module does it
            || ConvShape.Of(conv) is not { } s || conv.weight is not { } weight) return conv.forward(x);
        using var w = Copy(weight);   // (Out, In/groups, kh, kw), channels-last strides
        return nn.functional.conv2d(x, w, conv.bias, strides: [s.StrideH, s.StrideW], padding: [s.PadH, s.PadW],
            dilation: [s.DilationH, s.DilationW], groups: s.Groups);
    }

    /// <summary>
    /// A copy of the 4-D tensor <paramref name="t"/> (N, C, H, W) with channels-last strides
    /// (C·H·W, 1, W·C, C), recorded by autograd when <paramref name="t"/> needs a gradient. The strides
    /// are set exactly: <c>permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)</c> leaves a tensor with
    /// one channel as it was, which libtorch then reads as NCHW.
    /// </summary>
    public static Tensor Copy(Tensor t)
    {
        if (t.dim() != 4) throw new ArgumentException($"a 4-D tensor is needed, not {t.dim()}-D", nameof(t));
        long n = t.shape[0], c = t.shape[1], h = t.shape[2], w = t.shape[3];
        var copy = empty_strided([n, c, h, w], [c * h * w, 1, w * c, c], dtype: t.dtype, device: t.device);
        copy.copy_(t);
        return copy;
    }

    /// <summary>The layers of <paramref name="layers"/> in order on <paramref name="x"/>, each 2-D convolution through <see cref="Forward(Conv2d, Tensor)"/>.</summary>
    public static Tensor Forward(Sequential layers, Tensor x)
    {
        foreach (var layer in layers.children())
            x = layer is Conv2d conv ? Forward(conv, x) : ((nn.Module<Tensor, Tensor>)layer).forward(x);
        return x;
    }

    /// <summary>Whether <paramref name="t"/> (4-D) has exactly channels-last strides.</summary>
    internal static bool Has(Tensor t)
    {
        if (t.dim() != 4) return false;
        var s = t.stride();
        long c = t.shape[1], h = t.shape[2], w = t.shape[3];
        return s[1] == 1 && s[3] == c && s[2] == w * c && s[0] == c * h * w;
    }
}
