using System.Globalization;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// A run checkpointed by N ranks and resumed by M (<c>mpirun -np N hpclearn train</c> stopped by
/// the job's end time mid-epoch, then <c>mpirun -np M ... --resume</c>) ends where the uninterrupted
/// run at the same global batch ends: same steps, same metrics, weights equal up to float summation
/// order. Dropout 0: each rank draws its own dropout masks, which another rank count draws otherwise.
/// </summary>
[Collection(MpiCollection.Name)]
[Trait("Category", "mpi")]
public sealed class MpiResizeTests(ITestOutputHelper output) : IDisposable
{
    // Tabular: 30 AdamW steps (2 epochs of 15 global batches of 32). Measured largest differences
    // against the uninterrupted run: 3.0e-8 (2→1 and 1→2) and 1.2e-7 (2→3, split 11+11+10). A mean
    // of the three ranks' means instead of the weighted one ended 8.3e-3 away, and a resume that
    // re-trains or skips a batch ends further still; 1e-6 sits above the summation noise, far below those.
    private const double TabularWeights = 1e-6;

    // Text: 20 AdamW steps after the checkpoint; AdamW divides by √v, so summation-order
    // differences in small gradients grow: 1.9e-5 (2→1), 1.1e-5 (2→3) measured.
    private const double TextWeights = 1e-4;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("hpclearn-mpi-resize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tabular(int batch)
    {
        string path = Path.Combine(_dir, $"tabular-{batch}.yaml");
        File.WriteAllText(path, "task: tabular\nname: churn\nthreads: 1\ndata: {builtin_rows: 600}\n" +
            $"model: {{layers: [32], dropout: 0}}\ntrain: {{epochs: 2, batch_size: {batch}}}\ncluster: {{requeue: false}}\n");
        return path;
    }

    private string Root(string name) => Path.Combine(_dir, name);

    private void Train(int ranks, string config, string root)
    {
        var r = MpiRun.Cli(ranks, Limit, "train", config, "--out", root);
        Assert.True(r.ExitCode == 0, r.Output);
    }

    // A job that ends inside the 120 s margin: the deadline stops every rank after the first batch.
    private void TrainStopped(int ranks, string config, string root)
    {
        var ending = new Dictionary<string, string>
        {
            ["SLURM_JOB_ID"] = "5",
            ["SLURM_JOB_END_TIME"] = DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        var r = MpiRun.CliWith(ranks, Limit, ending, "train", config, "--out", root);
        Assert.True(r.ExitCode == 3, r.Output);
        Assert.Equal(["epoch-0000-batch-00001.ckpt"], Directory.GetFiles(Path.Combine(root, "churn", "checkpoints")).Select(Path.GetFileName));
    }

    private string Resume(int ranks, string config, string root)
    {
        var r = MpiRun.Cli(ranks, Limit, "train", config, "--out", root, "--resume");
        output.WriteLine(r.Output);
        Assert.True(r.ExitCode == 0, r.Output);
        return r.Output;
    }

    private static void Copy(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    // The float32 weights of model/model.safetensors, in file order.
    private static float[] Weights(string run)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(run, "model", "model.safetensors"));
        long header = BitConverter.ToInt64(bytes, 0);
        using var json = JsonDocument.Parse(bytes.AsMemory(8, (int)header));
        Assert.All(json.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"), p => Assert.Equal("F32", p.Value.GetProperty("dtype").GetString()));
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + (int)header)).ToArray();
    }

    // Same steps and rows in metrics.csv, every figure within `tolerance` (relative), and weights within `weights`.
    private void AssertSameRun(string expected, string actual, double weights, double tolerance)
    {
        var a = File.ReadAllLines(Path.Combine(expected, "metrics.csv"));
        var b = File.ReadAllLines(Path.Combine(actual, "metrics.csv"));
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a[0], b[0]);
        for (int i = 1; i < a.Length; i++)
        {
            string[] x = a[i].Split(','), y = b[i].Split(',');
            Assert.Equal(x[..2], y[..2]);   // step, epoch
            for (int k = 2; k < x.Length - 1; k++)   // the last column is seconds
            {
                double u = double.Parse(x[k], CultureInfo.InvariantCulture), v = double.Parse(y[k], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(u - v) <= tolerance * Math.Max(Math.Abs(u), 1e-3), $"metrics.csv row {i}, {a[0].Split(',')[k]}: {u} uninterrupted vs {v} resumed");
            }
        }
        float[] w = Weights(expected), z = Weights(actual);
        Assert.Equal(w.Length, z.Length);
        double worst = w.Zip(z, (p, q) => (double)Math.Abs(p - q)).Max();
        output.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(actual))}: largest weight difference {worst:E2} over {w.Length} weights");
        Assert.True(worst <= weights, $"largest weight difference {worst} (tolerance {weights})");
    }

    [SkippableFact]
    public void A_two_rank_checkpoint_resumes_on_one_and_on_three_ranks_as_the_uninterrupted_run_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Tabular(16);   // 2 ranks × 16: global batch 32
        Train(2, config, Root("straight"));
        TrainStopped(2, config, Root("stopped"));
        Copy(Root("stopped"), Root("on1"));
        Copy(Root("stopped"), Root("on3"));

        string one = Resume(1, config, Root("on1"));
        Assert.Contains("resumed on 1 rank (checkpoint written by 2): global batch 32 kept as 32 on one rank; " +
            "the same examples in the same order from epoch 1, global batch 2 of 15, each epoch leaving out the last 0 of the 480 as on 2 ranks; " +
            "the config's train.batch_size 16 × 1 = 16 applies to new runs", one);
        string three = Resume(3, config, Root("on3"));
        Assert.Contains("resumed on 3 ranks (checkpoint written by 2): global batch 32 kept as 11+11+10 (each rank's loss weighted by its share, " +
            "so a step is the mean gradient over the same 32 examples)", three);

        AssertSameRun(Path.Combine(Root("straight"), "churn"), Path.Combine(Root("on1"), "churn"), TabularWeights, 1e-5);
        AssertSameRun(Path.Combine(Root("straight"), "churn"), Path.Combine(Root("on3"), "churn"), TabularWeights, 1e-5);
    }

    [SkippableFact]
    public void A_one_process_checkpoint_resumes_on_two_ranks_as_the_uninterrupted_run_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Tabular(32);
        Train(1, config, Root("straight"));
        TrainStopped(1, config, Root("stopped"));

        string two = Resume(2, config, Root("stopped"));
        Assert.Contains("resumed on 2 ranks (checkpoint written by 1): global batch 32 kept as 16+16; the same examples in the same order " +
            "from epoch 1, global batch 2 of 15, each epoch leaving out the last 0 of the 480 as on 1 rank; the config's train.batch_size 32 × 2 = 64 applies to new runs", two);
        // The stopped epoch's train loss too: the one process's loss sums are rank 0's alone, not counted twice.
        AssertSameRun(Path.Combine(Root("straight"), "churn"), Path.Combine(Root("stopped"), "churn"), TabularWeights, 1e-5);
    }

    [SkippableFact]
    public void A_global_batch_the_ranks_cannot_share_stops_with_one_line_and_exit_2_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Tabular(479);   // 480 rows: batches of 479 and 1; one example cannot be shared by 2 ranks
        string run = Path.Combine(Root("stopped"), "churn");
        TrainStopped(1, config, Root("stopped"));
        // What the run wrote (the attempt records, attempts.jsonl and train_time.json, count the refused attempt too).
        var before = Directory.GetFiles(run, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("attempts.jsonl" or "train_time.json"))
            .ToDictionary(f => f, File.ReadAllBytes);
        Assert.Contains(Path.Combine(run, "model", "model.safetensors"), before.Keys);

        var r = MpiRun.Cli(2, Limit, "train", config, "--out", Root("stopped"), "--resume");

        output.WriteLine(r.Output);
        Assert.Equal(2, r.ExitCode);
        string line = $"error: --resume: the checkpoint {Path.Combine(Root("stopped"), "churn", "checkpoints", "epoch-0000-batch-00001.ckpt")} was written by 1 rank " +
            "with a global batch of 479 examples, which 2 ranks cannot keep: the epoch's last global batch has 1 example, fewer than the 2 ranks; " +
            "resume on at most 1 rank, or start a new run with another name";
        Assert.Contains(line, r.Output);
        Assert.DoesNotContain("   at ", r.Output);   // no stack trace
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    private string Text(int batch, int steps = 30)
    {
        string path = Path.Combine(_dir, $"text-{batch}.yaml");
        File.WriteAllText(path, $$"""
            task: text
            name: text
            threads: 1
            data: {builtin_sentences: 1500, block_size: 32}
            model: {layers: 1, heads: 2, embedding: 32, dropout: 0.0}
            train: {batch_size: {{batch}}, lr: 0.003}
            steps: {total: {{steps}}, warmup: 5, eval_every: 10, eval_batches: 4, checkpoint_every: 10}
            """);
        return path;
    }

    [SkippableFact]
    public void A_two_rank_text_checkpoint_resumes_on_one_and_on_three_ranks_as_the_uninterrupted_run_or_says_mpi_is_missing()
    {
        if (MpiRun.Missing(output)) return;
        string config = Text(8);   // 2 ranks × 8 blocks: global batch 16
        Train(2, config, Root("straight"));
        // The checkpoint at step 10 of the finished run, as a run stopped there would have left it.
        foreach (string root in new[] { "on1", "on3" })
        {
            Copy(Root("straight"), Root(root));
            foreach (string later in new[] { "step-000020.ckpt", "step-000030.ckpt" }) File.Delete(Path.Combine(Root(root), "text", "checkpoints", later));
        }

        string one = Resume(1, config, Root("on1"));
        Assert.Contains("resuming from", one);
        Assert.Contains("resumed on 1 rank (checkpoint written by 2): global batch 16 blocks kept as 16 on one rank; the same blocks as the uninterrupted run from step 11; " +
            "the config's train.batch_size 8 × 1 = 8 applies to new runs", one);
        string three = Resume(3, config, Root("on3"));
        Assert.Contains("resumed on 3 ranks (checkpoint written by 2): global batch 16 blocks kept as 6+5+5 (each rank's loss weighted by its share, so a step is the mean gradient over the same 16 blocks)", three);

        AssertSameRun(Path.Combine(Root("straight"), "text"), Path.Combine(Root("on1"), "text"), TextWeights, 1e-4);
        AssertSameRun(Path.Combine(Root("straight"), "text"), Path.Combine(Root("on3"), "text"), TextWeights, 1e-4);
    }

    [SkippableFact]
    public void A_text_global_batch_smaller_than_the_ranks_stops_every_rank_with_one_line_or_says_mpi_is_missing()
    {
        // Rank 0 alone reads a text checkpoint: its refusal must reach the others, which would
        // otherwise wait for its weights for ever.
        if (MpiRun.Missing(output)) return;
        string config = Text(2, steps: 10);   // one process × 2 blocks
        Train(1, config, Root("small"));
        string checkpoint = Path.Combine(Root("small"), "text", "checkpoints", "step-000010.ckpt");
        byte[] before = File.ReadAllBytes(checkpoint);

        var r = MpiRun.Cli(3, Limit, "train", config, "--out", Root("small"), "--resume");

        output.WriteLine(r.Output);
        Assert.False(r.TimedOut, "a rank waited for ever");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"error: --resume: the checkpoint {checkpoint} was written by 1 rank with a global batch of 2 blocks, which 3 ranks cannot keep " +
            "(each rank needs at least one block per step); resume on at most 2 ranks, or start a new run with another name", r.Output);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
    }
}
