using System.Runtime.Intrinsics.X86;
using HpcLearn.Tasks.Games;
using HpcLearn.Tasks.Shared;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests;

/// <summary>
/// The convolution check: which shapes count as risky, the shapes it reads from our networks, its
/// float64 oracle over a grid of shapes, what it does when a shape is wrong (with fakes: switching
/// oneDNN off in this process would change the kernels of tests running beside it), and a training
/// in a separate process, where oneDNN is not held to AVX2 as it is in this one (TestStartup).
/// </summary>
public sealed class ConvolutionCheckTests
{
    private static ConvShape Conv(long inC, long outC, long k = 3, long stride = 1, long groups = 1) =>
        new(inC, outC, k, k, stride, stride, k / 2, k / 2, 1, 1, groups);

    [Theory]
    [InlineData(16, 8, 3, true)]     // input gradient wrong: output channels not a multiple of 16
    [InlineData(32, 24, 3, true)]
    [InlineData(3, 8, 5, true)]
    [InlineData(24, 16, 3, true)]    // forward wrong: more than 16 input channels, not a multiple of 16
    [InlineData(40, 32, 3, true)]
    [InlineData(8, 16, 3, false)]    // up to 16 input channels: right
    [InlineData(1, 32, 3, false)]
    [InlineData(32, 64, 3, false)]
    [InlineData(64, 2, 1, false)]    // 1×1 kernels: right whatever the channels
    [InlineData(24, 1, 1, false)]
    public void Risky_marks_the_shapes_oneDNN_computed_wrong_on_the_AMD_EPYC(long inC, long outC, long k, bool risky) =>
        Assert.Equal(risky, Conv(inC, outC, k).Risky);

    [Theory]
    [InlineData(8, 8, 3, true)]      // AVX2's blocks are 8 channels
    [InlineData(3, 8, 3, true)]
    [InlineData(16, 8, 3, true)]
    [InlineData(32, 24, 3, true)]
    [InlineData(24, 16, 3, true)]
    [InlineData(16, 12, 3, false)]
    [InlineData(12, 16, 3, false)]
    [InlineData(1, 17, 5, false)]
    [InlineData(12, 17, 1, true)]
    public void ChannelsFit_8_marks_what_oneDNN_s_AVX2_kernels_computed_right(long inC, long outC, long k, bool fits) =>
        Assert.Equal(fits, Conv(inC, outC, k).ChannelsFit(8));

    [Fact]
    public void Grouped_convolutions_count_as_risky() => Assert.True(Conv(32, 32, 3, groups: 32).Risky);

    [Fact]
    public void ShapesOf_reads_each_distinct_convolution_of_the_games_and_vision_networks()
    {
        using var net = new PolicyValueNet(TicTacToe.Instance, new GameNetOptions { Channels = 8, Blocks = 2, ValueHidden = 8 });
        Assert.Equal(
            new[] { Conv(3, 8), Conv(8, 8), Conv(8, 2, 1), Conv(8, 1, 1) }.OrderBy(s => s.ToString()),
            ConvolutionCheck.ShapesOf(net).OrderBy(s => s.ToString()));
        using var resnet = new ResNet(1, 10, new VisionModelOptions { Arch = "resnet", Widths = [16, 32], Blocks = 1 });
        var shapes = ConvolutionCheck.ShapesOf(resnet);
        Assert.Contains(Conv(16, 32, 3, stride: 2), shapes);     // the downsampling block
        Assert.Contains(Conv(16, 32, 1, stride: 2), shapes);     // its shortcut
        Assert.Equal("16 → 32 channels, 3×3 kernel, stride 2×2", Conv(16, 32, 3, stride: 2).ToString());
    }

    [Fact]
    public void Every_shape_of_a_grid_that_fits_blocks_of_8_agrees_with_float64_in_this_process()
    {
        // The oracle over channel counts that went wrong on the AMD EPYC and counts that did not, with
        // oneDNN as this process runs it (held to AVX2 by TestStartup): what the AVX2 hold relies on.
        var wrong = new List<string>();
        int fitting = 0;
        foreach (long inC in new long[] { 1, 3, 8, 16, 24, 32 })
            foreach (long outC in new long[] { 1, 8, 12, 16, 17, 24, 32 })
                foreach (long k in new long[] { 1, 3, 5 })
                    foreach (long stride in new long[] { 1, 2 })
                    {
                        var shape = Conv(inC, outC, k, stride);
                        if (!shape.ChannelsFit(8)) continue;
                        fitting++;
                        double error = ConvolutionCheck.MaxError(shape);
                        if (!(error <= ConvolutionChecker.Tolerance)) wrong.Add($"{shape}: {error}");
                    }
        Assert.True(fitting > 100, $"{fitting}");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void The_oracle_leaves_libtorch_s_random_stream_alone()
    {
        torch.manual_seed(7);
        double first = torch.rand(1).item<float>();
        torch.manual_seed(7);
        double error = ConvolutionCheck.MaxError(Conv(16, 8));
        Assert.Equal(first, torch.rand(1).item<float>());
        Assert.True(error < 1e-5, $"{error}");
    }

    private sealed class Fakes
    {
        public readonly Dictionary<ConvShape, Queue<double>> Errors = new();
        public readonly List<string> Lines = new();
        public readonly List<ConvShape> Checked = new();
        public int Holds, Disables;
        public bool Enabled = true, CanHold = true;

        public ConvolutionChecker Checker() => new(
            s => { Checked.Add(s); return Errors.TryGetValue(s, out var q) && q.Count > 0 ? q.Dequeue() : 1e-7; },
            () => { Holds++; return CanHold; },
            () => Enabled,
            () => { Disables++; Enabled = false; return true; },
            Lines.Add);
    }

    [Fact]
    public void A_risky_network_holds_oneDNN_to_AVX2_before_the_first_check_and_each_shape_is_checked_once()
    {
        var f = new Fakes();
        var checker = f.Checker();
        Assert.True(checker.Ensure([Conv(3, 8), Conv(8, 8), Conv(8, 2, 1)]));
        Assert.Equal(1, f.Holds);
        Assert.Equal("convolutions: 3 → 8 channels, 3×3 kernel (and 1 more shape) has channel counts that are not multiples of 16, which oneDNN's AVX-512 kernels computed wrong on an AMD EPYC (Zen 4); this process holds oneDNN to its AVX2 kernels (ONEDNN_MAX_CPU_ISA=AVX2): right, and a little slower; multiples of 16 keep AVX-512", Assert.Single(f.Lines));
        Assert.Equal("oneDNN held to AVX2: every checked shape right (3)", checker.State);
        Assert.True(checker.Ensure([Conv(8, 8), Conv(8, 24)]));
        Assert.Equal([Conv(3, 8), Conv(8, 8), Conv(8, 2, 1), Conv(8, 24)], f.Checked);
        Assert.Equal(1, f.Holds); // only before the first check: oneDNN picks its kernels once
        Assert.Equal(0, f.Disables);
    }

    [Fact]
    public void A_network_that_does_not_fit_AVX2_s_blocks_either_is_not_held_and_goes_to_libtorch_s_own_kernels_if_wrong()
    {
        var f = new Fakes();
        var checker = f.Checker();
        f.Errors[Conv(16, 12)] = new([0.4, 1e-7]);
        Assert.True(checker.Ensure([Conv(3, 16), Conv(16, 12)]));
        Assert.Equal(0, f.Holds);
        Assert.Equal(1, f.Disables);
        Assert.Contains("this process uses libtorch's own convolutions instead", Assert.Single(f.Lines));
    }

    [Fact]
    public void A_network_of_multiples_of_16_keeps_AVX_512()
    {
        var f = new Fakes();
        var checker = f.Checker();
        Assert.True(checker.Ensure([Conv(1, 32), Conv(32, 64), Conv(64, 2, 1)]));
        Assert.Equal(0, f.Holds);
        Assert.Empty(f.Lines);
        Assert.Equal("oneDNN: every checked shape right (3)", checker.State);
        f.Enabled = false; // switched off by someone else (PyTorch's flag): the state says so
        Assert.Equal("libtorch's own: every checked shape right (3)", checker.State);
    }

    [Fact]
    public void A_wrong_shape_switches_oneDNN_off_and_what_was_checked_on_it_is_checked_again()
    {
        var f = new Fakes();
        var checker = f.Checker();
        Assert.True(checker.Ensure([Conv(16, 32)]));
        f.Errors[Conv(32, 24)] = new([0.21, 1e-7]);
        Assert.True(checker.Ensure([Conv(32, 24)]));
        Assert.Equal(1, f.Disables);
        Assert.Equal("convolutions: oneDNN computed 32 → 24 channels, 3×3 kernel wrong on this CPU (largest difference 21.0 % of the largest value against float64); this process uses libtorch's own convolutions instead: right, and slower; channel counts that are multiples of 8 keep oneDNN (its AVX2 kernels), of 16 its AVX-512 ones", f.Lines[^1]);
        Assert.StartsWith("libtorch's own: oneDNN computed 32 → 24 channels", checker.State);
        f.Checked.Clear();
        Assert.True(checker.Ensure([Conv(16, 32), Conv(32, 24)]));
        Assert.Equal([Conv(16, 32)], f.Checked); // found right on oneDNN: checked again without it
    }

    [Fact]
    public void A_shape_wrong_with_and_without_oneDNN_is_reported_and_returns_false()
    {
        var f = new Fakes();
        var checker = f.Checker();
        f.Errors[Conv(16, 8)] = new([double.PositiveInfinity, 0.5]);
        Assert.False(checker.Ensure([Conv(16, 8)]));
        Assert.Contains("largest difference NaN against float64", f.Lines[^1]);
        Assert.Contains("training with it would be wrong", f.Lines[^1]);
        Assert.StartsWith("wrong: 16 → 8 channels", checker.State);
    }

    [Fact]
    public void A_training_of_a_risky_network_in_its_own_process_says_what_it_does_and_stays_finite()
    {
        // oneDNN as a user gets it (not held to AVX2 by the test process): 8 channels, the shape whose
        // input gradient oneDNN's AVX-512 kernels computed wrong and which went NaN in training.
        using var tmp = new TempFolder();
        var config = tmp.Write("ttt.yaml", """
            task: games
            name: ttt
            threads: 2
            game: tic_tac_toe
            model: {channels: 8, blocks: 1, value_hidden: 8}
            selfplay: {iterations: 3, games_per_iteration: 8, games_in_flight: 8, simulations: 8, steps_per_iteration: 40, eval_games: 2, final_games: 2, judge_positions: 10, agent_simulations: 8}
            final_opponents: [random]
            train: {batch_size: 32, optimizer: adam, lr: 0.01}

            """);
        var env = new Dictionary<string, string?> { ["ONEDNN_MAX_CPU_ISA"] = null, ["DNNL_MAX_CPU_ISA"] = null, ["HPCLEARN_CONV_CHECK"] = null };
        using var p = CliProcess.StartWith(env, "train", config, "--out", tmp["runs"]);
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(5)) == 0, p.Output);
        bool avx512 = Avx512F.IsSupported;
        Assert.True(avx512 == p.Output.Contains("this process holds oneDNN to its AVX2 kernels"), p.Output);
        Assert.DoesNotContain("training with it would be wrong", p.Output);
        string metrics = File.ReadAllText(Path.Combine(tmp["runs"], "ttt", "metrics.csv"));
        Assert.DoesNotContain("NaN", metrics, StringComparison.OrdinalIgnoreCase);
        string Recorded(string run) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["runs"], run, "model", "model.json")))!
            ["provenance"]!["convolutions"]!.GetValue<string>();
        Assert.StartsWith(avx512 ? "oneDNN held to AVX2: every checked shape right" : "oneDNN: every checked shape right", Recorded("ttt"));

        // 12 channels fit neither AVX-512's blocks nor AVX2's: where oneDNN computes them wrong, the
        // check moves the run to libtorch's own kernels, and the training stays finite either way.
        using var q = CliProcess.StartWith(env, "train", tmp.Write("t12.yaml", File.ReadAllText(config)
            .Replace("name: ttt", "name: t12").Replace("channels: 8", "channels: 12")), "--out", tmp["runs"]);
        Assert.True(q.WaitForExit(TimeSpan.FromMinutes(5)) == 0, q.Output);
        Assert.DoesNotContain("holds oneDNN to its AVX2 kernels", q.Output);
        Assert.DoesNotContain("training with it would be wrong", q.Output);
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(tmp["runs"], "t12", "metrics.csv")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(q.Output.Contains("uses libtorch's own convolutions instead"), Recorded("t12").StartsWith("libtorch's own: oneDNN computed", StringComparison.Ordinal));
    }
}
