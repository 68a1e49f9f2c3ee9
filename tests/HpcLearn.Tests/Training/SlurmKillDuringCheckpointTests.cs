using System.Text.RegularExpressions;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Training;

/// <summary>
/// The fault Slurm deals out after KillWait: SIGKILL, at any moment, also in the middle of writing
/// a checkpoint. A training process that writes a checkpoint every few milliseconds is killed at
/// random moments, again and again, each time resuming from what the last one left; the newest
/// checkpoint must always read back valid, and no temporary file may pass for a checkpoint. Once
/// per checkpoint layout: the Learner's (a tabular run), the text, PDE and games tasks'.
/// </summary>
public sealed class SlurmKillDuringCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    // Each config checkpoints after every epoch, step or iteration, with layers wide enough that
    // writing a checkpoint takes a good part of the time, and never ends by itself.
    private static (string Yaml, string Magic, string Name) Layout(string task) => task switch
    {
        "tabular" => (Cli.Cli.TinyYaml("k", epochs: 1_000_000, data: "{builtin_rows: 256}")
                .Replace("model: {layers: [16]}", "model: {layers: [384, 384]}")
                .Replace("train: {epochs: 1000000}", "train: {epochs: 1000000, checkpoint_every: 1, keep_checkpoints: 2}"),
            "HPCLCKPT", @"epoch-\d{4}(-batch-\d{5})?\.ckpt"),
        "text" => ("""
            task: text
            name: k
            data: {builtin_sentences: 300, block_size: 16}
            model: {layers: 2, heads: 4, embedding: 128, dropout: 0.0}
            train: {batch_size: 8, lr: 0.001, keep_checkpoints: 2}
            steps: {total: 1000000, warmup: 5, eval_every: 1000000, eval_batches: 1, checkpoint_every: 1}
            """, "HPCLTEXT", @"step-\d{6,}\.ckpt"),
        "pde" => ("""
            task: pde
            name: k
            pde: {equation: heat, boundary_points: 10, collocation_points: 60, adam_iterations: 1000000, lbfgs_iterations: 0, checkpoint_every: 1}
            model: {layers: [256, 256], float64: true}
            train: {keep_checkpoints: 2}
            """, "HPCLPINN", @"step-\d{6,}\.ckpt"),
        "games" => ("""
            task: games
            name: k
            threads: 1
            game: tic_tac_toe
            model: {channels: 64, blocks: 2, value_hidden: 8}
            selfplay: {iterations: 1000000, games_per_iteration: 2, games_in_flight: 2, simulations: 4, parallel_leaves: 1, steps_per_iteration: 1, eval_games: 2, agent_simulations: 4, replay_size: 500}
            train: {batch_size: 16, optimizer: adam, keep_checkpoints: 2}
            """, "HPCLGAME", @"iter-\d{4,}\.ckpt"),
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    [Theory]
    [InlineData("tabular", 20)]
    [InlineData("text", 8)]
    [InlineData("pde", 8)]
    [InlineData("games", 6)]
    public void Sigkill_at_random_moments_while_checkpointing_never_leaves_the_newest_checkpoint_unreadable(string task, int kills)
    {
        var (yaml, magic, name) = Layout(task);
        var config = _tmp.Write("k.yaml", yaml);
        string folder = _tmp["runs/k/checkpoints"];
        string? Newest() => Directory.Exists(folder) ? CheckpointFolder.NewestFirst(Directory.GetFiles(folder, "*.ckpt")).FirstOrDefault() : null;
        var rng = new Random(20261127);
        int midWrite = 0;
        for (int i = 0; i < kills; i++)
        {
            string? before = Newest();
            using var p = CliProcess.Start("train", config, "--out", _tmp["runs"], "--threads", "1", "--resume-if-possible");
            // Kill only once it is writing checkpoints, at a random moment after that.
            Assert.True(p.WaitUntil(() => Newest() != before, TimeSpan.FromSeconds(90)), $"{task} kill {i}: no new checkpoint\n{p.Output}");
            Thread.Sleep(rng.Next(0, 120));
            p.Signal("KILL");
            p.WaitForExit(TimeSpan.FromSeconds(30));

            string? newest = Newest();
            Assert.NotNull(newest);
            Assert.True(CheckpointContainer.TryRead(newest, magic, out var blocks, out var why), $"{task} kill {i}: {newest} is {why}");
            Assert.True(blocks.Contains(CheckpointBlocks.Meta));
            Assert.All(Directory.GetFiles(folder, "*.ckpt"), f => Assert.Matches($"^{name}$", Path.GetFileName(f)));
            if (i > 0)
            {
                Assert.Contains("--resume-if-possible: resuming from the newest valid checkpoint", p.Output);
                Assert.Contains($"resuming from {before} (", p.Output);
                Assert.DoesNotContain("warning: checkpoint", p.Output);
            }
            // The next start sweeps them, so a temporary file here is this kill's.
            if (Directory.GetFiles(folder, ".*.tmp").Length > 0)
            {
                midWrite++;
                output.WriteLine($"{task} kill {i} landed while a checkpoint was being written");
            }
        }
        output.WriteLine($"{task}: {kills} kills; {midWrite} of them left a half-written temporary file; the newest checkpoint was valid every time");
    }
}
