using TorchSharp.Modules;

namespace HpcLearn;

/// <summary>One 2-D convolution's shape, what <see cref="ConvolutionCheck"/> checks once per process.</summary>
public readonly record struct ConvShape(long In, long Out, long KernelH, long KernelW, long StrideH, long StrideW,
    long PadH, long PadW, long DilationH, long DilationW, long Groups)
{
    /// <summary>The shape of a (non-transposed, zero-padded) 2-D convolution layer; null for other layers.</summary>
    public static ConvShape? Of(Convolution conv)
    {
        if (conv.transposed || conv.kernel_size.Length != 2 || conv.padding_mode != TorchSharp.PaddingModes.Zeros) return null;
        var k = conv.kernel_size; var s = conv.stride; var d = conv.dilation;
        long[] p = conv.padding_type switch
        {
            null when conv.padding is { Length: 2 } pad => pad,
            TorchSharp.Padding.Same => [d[0] * (k[0] - 1) / 2, d[1] * (k[1] - 1) / 2],
            _ => [0, 0],
        };
        return new ConvShape(conv.in_channels, conv.out_channels, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], conv.groups);
    }

    /// <summary>
    /// Whether libtorch 2.10's oneDNN (3.7.1) computed this kind of shape right, where it was measured
    /// (an AMD EPYC, Zen 4; docs/install.md, "Convolutions checked"), with kernels that work on
    /// <paramref name="block"/> channels at a time: 16 with AVX-512, 8 with AVX2. A kernel larger than
    /// 1×1 went wrong when the output channels were not a multiple of the block (the input gradient)
    /// or the input channels were more than one block and not a multiple of it (the forward pass).
    /// Grouped convolutions were not measured and count as not fitting.
    /// </summary>
    public bool ChannelsFit(int block) =>
        KernelH * KernelW == 1 || (Groups == 1 && Out % block == 0 && (In <= block || In % block == 0));

    /// <summary>Not right with oneDNN's AVX-512 kernels where measured: <see cref="ChannelsFit"/> 16 fails.</summary>
    public bool Risky => !ChannelsFit(16);

    /// <inheritdoc />
    public override string ToString() =>
        $"{In} → {Out} channels, {KernelH}×{KernelW} kernel"
        + (StrideH * StrideW > 1 ? $", stride {StrideH}×{StrideW}" : "")
        + (DilationH * DilationW > 1 ? $", dilation {DilationH}×{DilationW}" : "")
        + (Groups > 1 ? $", {Groups} groups" : "");
}
