using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using TorchSharp;
using Xunit;

namespace HpcLearn.Tests;

/// <summary>NNPACK is off after <see cref="Nnpack.Disable"/>, convolutions give the same numbers, and a games training is quiet on stderr.</summary>
public sealed class NnpackTests
{
    [Fact]
    public void Disable_turns_nnpack_off_in_libtorch_and_convolutions_still_agree_with_a_direct_sum()
    {
        Assert.True(Nnpack.Disable(), "libtorch's entry points were not found");
        Assert.False(Nnpack.Enabled());

        // A 3x3 convolution against the sum it stands for, on a batch large enough for NNPACK's path.
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(2 * 1 * 6 * 6, dtype: torch.float32).reshape(2, 1, 6, 6) / 10;
        var w = torch.arange(9, dtype: torch.float32).reshape(1, 1, 3, 3) / 7;
        var y = torch.nn.functional.conv2d(x, w);
        var xs = x.data<float>().ToArray();
        var ws = w.data<float>().ToArray();
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                {
                    double sum = 0;
                    for (int u = 0; u < 3; u++)
                        for (int v = 0; v < 3; v++) sum += xs[b * 36 + (i + u) * 6 + j + v] * ws[u * 3 + v];
                    Assert.Equal(sum, y[b, 0, i, j].item<float>(), 4);
                }
    }

    [Fact]
    public void A_games_training_writes_fewer_than_50_lines_on_stderr()
    {
        // On a CPU NNPACK does not support, every convolution used to log a line (899,183 for one run).
        using var tmp = new TempFolder();
        var config = tmp.Write("ttt.yaml", """
            task: games
            name: ttt
            threads: 1
            game: tic_tac_toe
            model: {channels: 8, blocks: 1}
            selfplay: {iterations: 1, games_per_iteration: 8, games_in_flight: 8, simulations: 8, steps_per_iteration: 5, eval_games: 2, final_games: 4, judge_positions: 20, agent_simulations: 8}
            final_opponents: [random]
            train: {batch_size: 16}

            """);
        using var p = CliProcess.Start("train", config, "--out", tmp["runs"]);
        int code = p.WaitForExit(TimeSpan.FromMinutes(5));
        Assert.True(code == 0, p.Output);
        Assert.True(p.ErrorLines < 50, $"{p.ErrorLines} lines on stderr:\n{p.Output}");
    }
}
