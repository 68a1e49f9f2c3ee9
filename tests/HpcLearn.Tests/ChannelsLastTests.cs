using HpcLearn.Tasks.Shared;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests;

/// <summary>
/// Convolutions run channels-last on the CPU (<see cref="ChannelsLast"/>): the copy's strides, the
/// same values and gradients as the module's own (NCHW) call, and the small CNN against a textbook
/// computation of its layers in their written order (conv → batch norm → ReLU → max-pool) written
/// here from functional calls, in float64 and float32.
/// </summary>
public sealed class ChannelsLastTests
{
    [Theory]
    [InlineData(4, 3, 5, 6)]
    [InlineData(128, 1, 28, 28)]   // one channel: permute/contiguous would leave the NCHW strides
    [InlineData(2, 16, 1, 1)]
    public void Copy_has_exactly_channels_last_strides_and_the_same_values(long n, long c, long h, long w)
    {
        using var scope = NewDisposeScope();
        var t = randn(n, c, h, w);
        var copy = ChannelsLast.Copy(t);
        Assert.Equal(new[] { c * h * w, 1, w * c, c }, copy.stride());
        Assert.True(ChannelsLast.Has(copy));
        Assert.False(c > 1 && ChannelsLast.Has(t));
        Assert.True(copy.eq(t).all().ToBoolean());
    }

    [Fact]
    public void Copy_passes_the_gradient_back()
    {
        using var scope = NewDisposeScope();
        var t = randn(2, 3, 4, 4).requires_grad_(true);
        var weights = randn(2, 3, 4, 4);
        ChannelsLast.Copy(t).mul(weights).sum().backward();
        Assert.True(t.grad!.allclose(weights));
    }

    [Theory]
    [InlineData(1, 32, 3, 1, 1)]
    [InlineData(32, 64, 3, 1, 1)]
    [InlineData(16, 24, 3, 2, 1)]
    [InlineData(8, 8, 1, 1, 0)]
    [InlineData(3, 16, 5, 1, 2)]   // channel counts that fit blocks of 8: the test process holds oneDNN to AVX2 (TestStartup)
    public void Forward_gives_the_module_values_and_gradients(long inC, long outC, long k, long stride, long pad)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var conv = nn.Conv2d(inC, outC, k, stride: stride, padding: pad, bias: true);
        var x = randn(4, inC, 9, 9);
        var upstream = randn(conv.forward(x).shape);

        var (y, gx, gw, gb) = Pass(conv, x, upstream, channelsLast: true);
        var (y0, gx0, gw0, gb0) = Pass(conv, x, upstream, channelsLast: false);
        // Oracle: the same in float64 (libtorch's own kernels).
        using var conv64 = nn.Conv2d(inC, outC, k, stride: stride, padding: pad, bias: true);
        conv64.to(float64);
        using (no_grad()) { conv64.weight!.copy_(conv.weight!); conv64.bias!.copy_(conv.bias!); }
        var (y64, gx64, gw64, gb64) = Pass(conv64, x.to(float64), upstream.to(float64), channelsLast: false);

        if (ChannelsLast.Enabled) Assert.True(ChannelsLast.Has(y) || outC == 1 || y.shape[2] * y.shape[3] == 1, "the output is channels-last");
        foreach (var (got, nchw, want) in new[] { (y, y0, y64), (gx, gx0, gx64), (gw, gw0, gw64), (gb, gb0, gb64) })
        {
            Assert.True(Relative(got, want) < 1e-5, $"channels-last {Relative(got, want):G3} from float64");
            Assert.True(Relative(nchw, want) < 1e-5, $"NCHW {Relative(nchw, want):G3} from float64");
        }
    }

    private static (Tensor Y, Tensor GradX, Tensor GradW, Tensor GradB) Pass(Conv2d conv, Tensor x0, Tensor upstream, bool channelsLast)
    {
        conv.zero_grad();
        var x = x0.detach().requires_grad_(true);
        var y = channelsLast ? ChannelsLast.Forward(conv, x) : conv.forward(x);
        y.backward([upstream]);
        return (y.detach(), x.grad!.clone(), conv.weight!.grad!.clone(), conv.bias!.grad!.clone());
    }

    private static double Relative(Tensor got, Tensor want) =>
        got.to(float64).sub(want.to(float64)).abs().max().ToDouble() / Math.Max(want.abs().max().ToDouble(), 1e-30);

    [Theory]
    [InlineData(ScalarType.Float64, 1e-11)]
    [InlineData(ScalarType.Float32, 1e-4)]
    public void The_small_cnn_computes_its_layers_in_textbook_order(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new SmallCnn(1, 28, 28, 10, new VisionModelOptions { Dropout = 0 });
        model.to(dtype);
        model.train();
        var x = randn(16, 1, 28, 28, dtype: dtype);
        var upstream = randn(16, 10, dtype: dtype);

        // The reference's own leaves, copied from the model before it runs (batch norm's running
        // statistics are the reference's copies, so the model's are not updated twice).
        var state = model.state_dict();
        var p = state.Where(kv => kv.Value.is_floating_point() && !kv.Key.Contains("running"))
            .ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().requires_grad_(true));

        var y = model.forward([x]);
        y.backward([upstream]);

        var h = x;
        for (int i = 0; i < 2; i++)
        {
            h = nn.functional.conv2d(h, p[$"features.conv{i}.weight"], padding: [1, 1]);
            h = nn.functional.batch_norm(h, zeros(h.shape[1], dtype: dtype), ones(h.shape[1], dtype: dtype),
                p[$"features.bn{i}.weight"], p[$"features.bn{i}.bias"], training: true, momentum: 0.1, eps: 1e-5);
            h = nn.functional.relu(h);
            h = nn.functional.max_pool2d(h, 2);
        }
        h = nn.functional.adaptive_avg_pool2d(h, [7, 7]).flatten(1);
        h = nn.functional.relu(nn.functional.linear(h, p["head.hidden.weight"], p["head.hidden.bias"]));
        var want = nn.functional.linear(h, p["head.out.weight"], p["head.out.bias"]);
        want.backward([upstream]);

        Assert.True(Relative(y, want) < tolerance, $"output {Relative(y, want):G3}");
        foreach (var (name, param) in model.named_parameters())
            Assert.True(Relative(param.grad!, p[name].grad!) < tolerance, $"{name}: gradient {Relative(param.grad!, p[name].grad!):G3}");
    }
}
