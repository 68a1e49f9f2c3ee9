using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using HpcLearn.Runs;
using HpcLearn.Training;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Training;

/// <summary>
/// The fault Slurm deals out after KillWait: SIGKILL, at any moment, also in the middle of writing
/// a checkpoint. A training process that writes a checkpoint every few milliseconds is killed at
/// random moments, again and again, each time resuming from what the last one left; the newest
/// checkpoint must always read back valid, and no temporary file may pass for a checkpoint.
/// </summary>
public sealed class SlurmKillDuringCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _tmp = new();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Sigkill_at_random_moments_while_checkpointing_never_leaves_the_newest_checkpoint_unreadable()
    {
        // Wide layers make each checkpoint a few MB, so most of the time goes into writing them.
        var config = _tmp.Write("k.yaml", Cli.Cli.TinyYaml("k", epochs: 1_000_000, data: "{builtin_rows: 256}")
            .Replace("model: {layers: [16]}", "model: {layers: [384, 384]}")
            .Replace("train: {epochs: 1000000}", "train: {epochs: 1000000, checkpoint_every: 1, keep_checkpoints: 2}"));
        var store = new CheckpointStore(_tmp["runs/k/checkpoints"]);
        var rng = new Random(20261127);
        int midWrite = 0;
        const int Kills = 20;
        for (int i = 0; i < Kills; i++)
        {
            string? before = store.Latest()?.Path;
            using var p = CliProcess.Start("train", config, "--out", _tmp["runs"], "--threads", "1", "--resume-if-possible");
            // Kill only once it is writing checkpoints, at a random moment after that.
            Assert.True(p.WaitUntil(() => store.Latest()?.Path != before, TimeSpan.FromSeconds(90)), $"kill {i}: no new checkpoint\n{p.Output}");
            Thread.Sleep(rng.Next(0, 120));
            p.Signal("KILL");
            p.WaitForExit(TimeSpan.FromSeconds(30));

            var newest = store.Latest();
            Assert.NotNull(newest);
            Assert.True(CheckpointStore.TryRead(newest.Path, out var meta, out _, out _, out var why), $"kill {i}: {newest.Path} is {why}");
            Assert.Equal(newest.Epoch, meta!.Epoch);
            Assert.All(store.List(), f => Assert.Matches(@"/epoch-\d{4}(-batch-\d{5})?\.ckpt$", f.Path));
            if (i > 0)
            {
                Assert.Contains("--resume-if-possible: resuming from the newest valid checkpoint", p.Output);
                Assert.DoesNotContain("warning: checkpoint", p.Output);
            }
            int temps = Directory.GetFiles(store.Folder, "*.tmp").Length;
            if (temps > midWrite) output.WriteLine($"kill {i} landed while a checkpoint was being written ({temps} temp files left so far)");
            midWrite = Math.Max(midWrite, temps);
        }
        output.WriteLine($"{Kills} kills; {midWrite} of them left a half-written temporary file; the newest checkpoint was valid every time");
    }
}
