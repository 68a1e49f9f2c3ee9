using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HpcLearn;

/// <summary>
/// Checks a network's convolutions against float64 before it trains or predicts, once per shape and
/// process, so that no run trains on convolutions the CPU's kernels compute wrong.
/// <para>
/// Why: on a 2-core AMD EPYC (Zen 4, AVX-512), libtorch 2.10's oneDNN 3.7.1 computed float32
/// convolutions wrong whenever a channel count did not fit its kernels' blocks of 16 channels
/// (kernels larger than 1×1): the input gradient when the output channels are not a multiple of 16
/// (16 → 8, 32 → 24, …), the forward pass when more than 16 input channels are not (24 → 16). Errors
/// the size of the values, and NaN; every such shape, on one thread and two. Held to AVX2, whose
/// blocks are 8 channels, the same happened with multiples of 8 in place of 16. PyTorch 1.13
/// (oneDNN 2.x) on the same machine and libtorch's own kernels computed them all right
/// (docs/install.md, "Convolutions checked"). <see cref="ConvShape.ChannelsFit"/> is that rule.
/// </para>
/// <para>
/// What it does: when a network has such shapes (<see cref="ConvShape.Risky"/>), all of which fit
/// blocks of 8, and oneDNN has not run yet, holds oneDNN to AVX2 (<see cref="OneDnn.HoldToAvx2"/>). Then, for each shape, one
/// forward and backward pass on a small random batch (its own generator: libtorch's random stream
/// is not touched) in float32 against the same in float64 (which libtorch computes with its own
/// kernels). A shape still wrong switches oneDNN off for the process (<see cref="OneDnn.Disable"/>).
/// Each step prints one line on stderr. A few milliseconds a shape; <c>HPCLEARN_CONV_CHECK=off</c> skips it.
/// </para>
/// </summary>
public static class ConvolutionCheck
{
    private static readonly ConvolutionChecker _process = new(MaxError, OneDnn.HoldToAvx2, OneDnn.Enabled, OneDnn.Disable,
        line => Console.Error.WriteLine($"hpclearn: {line}"));

    /// <summary>What the checks found in this process, e.g. "oneDNN: every checked shape right (3)".</summary>
    public static string State => _process.State;

    /// <summary>Whether any convolution was checked in this process (recorded in a model's provenance when so).</summary>
    public static bool AnyChecked => _process.AnyChecked;

    /// <summary>
    /// Checks the 2-D convolutions of <paramref name="network"/>. Called by the vision, audio and games
    /// networks when built and by every Learner (a C# user's own network). False when a shape stays
    /// wrong even without oneDNN (never seen; the line on stderr says so).
    /// </summary>
    public static bool Ensure(nn.Module network) =>
        string.Equals(Environment.GetEnvironmentVariable("HPCLEARN_CONV_CHECK"), "off", StringComparison.OrdinalIgnoreCase)
        || _process.Ensure(ShapesOf(network));

    /// <summary>The distinct 2-D convolution shapes of <paramref name="network"/>.</summary>
    public static IReadOnlyList<ConvShape> ShapesOf(nn.Module network) =>
        network.modules().OfType<Convolution>().Select(ConvShape.Of).OfType<ConvShape>()
            .Where(s => s.Groups > 0 && s.In % s.Groups == 0 && s.Out % s.Groups == 0).Distinct().ToList();

    /// <summary>
    /// One forward and backward pass of <paramref name="shape"/> on 4 images of 7×7 (more if the kernel
    /// reaches further), float32 against float64: the largest difference over the output, the input
    /// gradient and the weight gradient, each relative to the float64 value's largest magnitude
    /// (infinity for NaN); in float32 both in the default layout and, where <see cref="ChannelsLast"/>
    /// is on, in the channels-last one (other kernels).
    /// </summary>
    public static double MaxError(ConvShape shape)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        long h = Math.Max(7, shape.DilationH * (shape.KernelH - 1) + 1 + shape.StrideH);
        long w = Math.Max(7, shape.DilationW * (shape.KernelW - 1) + 1 + shape.StrideW);
        var rng = new Random(20261205);
        var x = Uniform(rng, [4, shape.In, h, w]);
        var weight = Uniform(rng, [shape.Out, shape.In / shape.Groups, shape.KernelH, shape.KernelW]);
        var (y32, gx32, gw32, upstream) = Pass(shape, x, weight, float32, false, g => Uniform(rng, g.shape));
        var (y64, gx64, gw64, _) = Pass(shape, x, weight, float64, false, _ => upstream);
        double error = Math.Max(Relative(y32, y64), Math.Max(Relative(gx32, gx64), Relative(gw32, gw64)));
        if (!ChannelsLast.Enabled) return error;
        // The layout our networks run in on the CPU (ChannelsLast): other kernels, checked as well.
        var (yl, gxl, gwl, _) = Pass(shape, x, weight, float32, true, _ => upstream);
        return Math.Max(error, Math.Max(Relative(yl, y64), Math.Max(Relative(gxl, gx64), Relative(gwl, gw64))));
    }

    private static (Tensor Y, Tensor GradX, Tensor GradW, Tensor Upstream) Pass(
        ConvShape s, Tensor x0, Tensor w0, ScalarType type, bool channelsLast, Func<Tensor, Tensor> upstreamFor)
    {
        var x = (channelsLast ? ChannelsLast.Copy(x0) : x0).to(type).detach().requires_grad_(true);   // (4, In, h, w)
        var w = (channelsLast ? ChannelsLast.Copy(w0) : w0).to(type).detach().requires_grad_(true);   // (Out, In/groups, kh, kw)
        var y = nn.functional.conv2d(x, w, strides: [s.StrideH, s.StrideW], padding: [s.PadH, s.PadW],
            dilation: [s.DilationH, s.DilationW], groups: s.Groups);
        var upstream = upstreamFor(y);
        y.backward([upstream.to(type)]);
        return (y.detach(), x.grad!, w.grad!, upstream);
    }

    private static Tensor Uniform(Random rng, long[] shape)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return tensor(values, shape);
    }

    private static double Relative(Tensor got, Tensor want)
    {
        double diff = got.to(float64).sub(want).abs().max().ToDouble();
        double scale = Math.Max(want.abs().max().ToDouble(), 1e-30);
        return double.IsNaN(diff) ? double.PositiveInfinity : diff / scale;
    }
}
