using System.Diagnostics;
using System.Globalization;
using HpcLearn.Tasks.Games;
using HpcLearn.Tasks.Shared;
using TorchSharp;
using static TorchSharp.torch;

namespace HpcLearn.Bench;

/// <summary>
/// conv-step NET [own] [STEPS]: ms per training step (AdamW, mean of STEPS after 10) of one network on
/// random data, with oneDNN as this process has it: NET is cnn24 (the small CNN, widths [24, 40],
/// batch 128 of 28×28; risky for oneDNN's AVX-512 kernels, so ConvolutionCheck holds it to AVX2),
/// cnn (the default small CNN, widths [32, 64], batch 128; not risky), resnet (the default ResNet,
/// widths [32, 64, 128], batch 128 of 28×28) or c4 (the Connect Four net, 64 channels × 3 blocks,
/// batch 256; not risky; also microseconds per inference call at batches 1, 16 and 64, as MCTS asks).
/// "own" switches oneDNN off before the network is built (libtorch's own convolutions). The caller
/// sets ONEDNN_MAX_CPU_ISA, HPCLEARN_CONV_CHECK=off or HPCLEARN_CHANNELS_LAST=off for the other
/// kernels and layouts; the line says which kernels ran (ConvolutionCheck.State) and the largest
/// float32 error of the network's shapes against float64 (ConvolutionCheck.MaxError).
/// </summary>
internal static class ConvKernelsBench
{
    public static int Run(string[] args)
    {
        string net = args.Length > 0 ? args[0] : "cnn24";
        bool own = args.Length > 1 && args[1] == "own";
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        TorchRuntime.TuneMalloc();
        TorchRuntime.PrepareKernels();
        if (own && !OneDnn.Disable()) { Console.Error.WriteLine("oneDNN could not be switched off"); return 1; }
        torch.manual_seed(1);
        using var cnn = net == "cnn24" ? new SmallCnn(1, 28, 28, 10, new VisionModelOptions { Widths = [24, 40] })
            : net == "cnn" ? new SmallCnn(1, 28, 28, 10, new VisionModelOptions()) : null;
        using var resnet = net == "resnet" ? new ResNet(1, 10, new VisionModelOptions { Arch = "resnet" }) : null;
        using var c4 = net == "c4" ? new PolicyValueNet(ConnectFour.Instance, new GameNetOptions { Channels = 64, Blocks = 3 }) : null;
        var image = (nn.Module<Tensor[], Tensor>?)cnn ?? resnet;
        if (image is null && c4 is null) { Console.Error.WriteLine($"unknown network '{net}': cnn24, cnn, resnet or c4"); return 2; }
        // What the check costs a shape (it ran once when the network was built; again here, timed).
        var shapes = ConvolutionCheck.ShapesOf(image is not null ? image : c4!);
        var checkClock = Stopwatch.StartNew();
        double maxError = 0;
        foreach (var shape in shapes) maxError = Math.Max(maxError, ConvolutionCheck.MaxError(shape));
        double checkMs = checkClock.Elapsed.TotalMilliseconds / Math.Max(1, shapes.Count);
        var parameters = image is not null ? image.parameters() : c4!.parameters();
        using var optimizer = torch.optim.AdamW(parameters, 1e-3);
        using var x = c4 is not null ? randn(256, 3, 6, 7) : randn(128, 1, 28, 28);   // (B, C, H, W)
        var clock = new Stopwatch();
        for (int s = 0; s < steps + 10; s++)
        {
            if (s == 10) clock.Start();
            using var scope = NewDisposeScope();
            Tensor loss;
            if (c4 is not null) { var (logits, value) = c4.forward(x); loss = logits.square().mean() + value.square().mean(); }
            else loss = image!.forward([x]).square().mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        clock.Stop();
        // Inference as MCTS asks it (c4): eval mode, no gradients, small batches.
        string infer = "";
        if (c4 is not null)
        {
            c4.eval();
            using var noGrad = no_grad();
            foreach (int b in new[] { 1, 16, 64 })
            {
                using var xb = randn(b, 3, 6, 7);
                for (int i = 0; i < 50; i++) { using var s = NewDisposeScope(); c4.forward(xb); }
                var ic = Stopwatch.StartNew();
                for (int i = 0; i < 500; i++) { using var s = NewDisposeScope(); c4.forward(xb); }
                infer += FormattableString.Invariant($" infer_b{b}_us={ic.Elapsed.TotalMilliseconds * 1000 / 500:F0}");
            }
        }
        Console.WriteLine(FormattableString.Invariant(
            $"net={net} ms_per_step={clock.Elapsed.TotalMilliseconds / steps:F2} check_ms_per_shape={checkMs:F2} max_error={maxError:G3} shapes={shapes.Count} threads={torch.get_num_threads()} kernels=\"{ConvolutionCheck.State}\"{infer}"));
        return 0;
    }
}
