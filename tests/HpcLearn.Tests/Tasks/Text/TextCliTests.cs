using System.Text.Json;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using CliRunner = HpcLearn.Tests.Cli.Cli;

namespace HpcLearn.Tests.Tasks.Text;

/// <summary><c>hpclearn train</c> with <c>task: text</c>, then <c>generate</c>, <c>evaluate</c> and <c>--resume</c>, end to end on a tiny model.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TextCliTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly OneThread _threads = new();

    public void Dispose()
    {
        _threads.Dispose();
        _tmp.Dispose();
    }

    private const string Tiny = """
        task: text
        name: tiny
        data: {builtin_sentences: 300, block_size: 16}
        model: {layers: 1, heads: 2, embedding: 16, dropout: 0.0}
        train: {batch_size: 8, lr: 0.01}
        steps: {total: 30, warmup: 5, eval_every: 15, eval_batches: 2, checkpoint_every: 15}

        """;

    private CliResult Train(string yaml, params string[] more) =>
        CliRunner.Run(["train", _tmp.Write("text.yaml", yaml), "--out", _tmp["runs"], "--threads", "1", .. more]);

    [Fact]
    public void Trains_generates_evaluates_and_resumes_to_the_same_weights()
    {
        var r = Train(Tiny).AssertOk();
        Assert.Contains("count models on the validation split (fitted on the text before it; every token with its full history): Kneser-Ney 5-gram", r.Out);
        Assert.Contains("over all positions of consecutive 16-token blocks (nanoGPT's way)", r.Out);
        string run = _tmp["runs/tiny"];
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))))
        {
            var root = summary.RootElement;
            Assert.Equal("text", root.GetProperty("task").GetString());
            Assert.True(root.GetProperty("loss").GetDouble() < root.GetProperty("baseline").GetProperty("loss").GetDouble());
            Assert.True(root.GetProperty("ngram4_loss").GetDouble() > 0);
            double full = root.GetProperty("valid_loss_full_context").GetDouble(), kn = root.GetProperty("kn_loss").GetDouble();
            double lambda = root.GetProperty("mix_weight").GetDouble();
            Assert.True(root.GetProperty("valid_loss_blocks").GetDouble() > 0);
            Assert.Equal(16, root.GetProperty("valid_block_size").GetInt32());
            Assert.Equal(5, root.GetProperty("kn_order").GetInt32());
            Assert.InRange(lambda, 0, 1);
            // The run's loss is the mixture's; by Jensen it is at most the λ-weighted mean of the two losses
            // (up to the count model's extra first token, which the transformer has no context to score).
            Assert.Equal(root.GetProperty("valid_loss_mixed").GetDouble(), root.GetProperty("loss").GetDouble());
            Assert.True(root.GetProperty("loss").GetDouble() <= lambda * full + (1 - lambda) * kn + 0.01);
        }
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length);    // header + steps 15, 30
        string model = Path.Combine(run, "model");

        // The same seed gives the same text; the prompt comes first; one character per token.
        var a = CliRunner.Run("generate", model, "--prompt", "The dog", "--tokens", "40", "--seed", "5").AssertOk();
        var b = CliRunner.Run("generate", model, "--prompt", "The dog", "--tokens", "40", "--seed", "5").AssertOk();
        var c = CliRunner.Run("generate", model, "--prompt", "The dog", "--tokens", "40", "--seed", "6").AssertOk();
        Assert.StartsWith("The dog", a.Out);
        Assert.Equal("The dog".Length + 40, a.Out.TrimEnd('\n').Length);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
        // Within the block (7 + 9 = 16 positions) the cache changes nothing; past it, the cache restarts
        // from the last half block while --no-cache keeps a whole block, so the texts may part there.
        var cached = CliRunner.Run("generate", model, "--prompt", "The dog", "--tokens", "9", "--seed", "5").AssertOk();
        var uncached = CliRunner.Run("generate", model, "--prompt", "The dog", "--tokens", "9", "--seed", "5", "--no-cache").AssertOk();
        Assert.Equal(cached.Out, uncached.Out);

        var unknown = CliRunner.Run("generate", model, "--prompt", "Ω dog", "--tokens", "5", "--seed", "1").AssertOk(allowStderr: true);
        Assert.StartsWith("warning: 1 character(s) of the prompt are not in the model's alphabet", unknown.Err);
        CliRunner.Run("generate", model, "--tokens", "0").AssertUserError("--tokens 0: nothing to generate; pass --tokens N with N at least 1");

        var text = _tmp.Write("eval.txt", "The dog sees the cat. The cats run.\n");
        var e = CliRunner.Run("evaluate", model, text).AssertOk();
        Assert.Contains("bits/char", e.Out);
        // The folder carries the count model; evaluate and generate use the mixture.
        Assert.True(File.Exists(Path.Combine(model, "count-model.bin")));
        Assert.Contains("× Kneser-Ney 5-gram: ", e.Out);
        Assert.Contains("; the transformer alone ", e.Out);
        CliRunner.Run("predict", model, text).AssertUserErrorStartsWith("a text model has no per-row predictions");

        // Resume: the last checkpoint is truncated, so the run continues from step 15 and must end
        // with exactly the weights of the uninterrupted run (batches depend on (seed, step) only).
        byte[] straight = File.ReadAllBytes(Path.Combine(model, "model.safetensors"));
        string last = Path.Combine(run, "checkpoints", "step-000030.ckpt");
        File.WriteAllBytes(last, File.ReadAllBytes(last)[..100]);
        var resumed = Train(Tiny, "--resume").AssertOk();
        Assert.Equal([$"warning: checkpoint {last} is corrupted or truncated (checksum mismatch); falling back to step-000015.ckpt"],
            resumed.Out.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)));
        Assert.Contains("resuming from", resumed.Out);
        Assert.Contains("(step 15)", resumed.Out);
        Assert.Equal(straight, File.ReadAllBytes(Path.Combine(model, "model.safetensors")));
    }

    [Fact]
    public void Stops_with_a_checkpoint_at_the_jobs_end_and_resumes_to_the_end()
    {
        var config = (HpcLearn.Tasks.Text.TextConfig)HpcLearn.Config.ConfigLoader.Load(_tmp.Write("text.yaml", Tiny), [],
            name => HpcLearn.Tasks.TaskRegistry.Find(name)?.ConfigType);
        var task = new HpcLearn.Tasks.Text.TextTask();
        var log = new StringWriter();
        // The job ends in 30 s and 60 s must stay free: stop at once, as the CLI's deadline asks.
        var stop = new HpcLearn.Runs.RunStop { EndTime = DateTimeOffset.UtcNow.AddSeconds(30), Margin = TimeSpan.FromSeconds(60) };
        var stopped = task.Train(config, new HpcLearn.Runs.RunContext { Out = log, RunsRoot = _tmp["runs"], TensorBoard = false, Stop = stop });
        Assert.True(stopped.Interrupted, log.ToString());
        Assert.Contains("stopped: the job ends at ", log.ToString());
        Assert.Equal(HpcLearn.Runs.StopCause.Deadline, stop.Cause);   // what the CLI reads to requeue the job
        string run = _tmp["runs/tiny"];
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "step-000000.ckpt")));
        // Unfinished but usable: the last weights score a text, and summary.json says the run was interrupted.
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(run, HpcLearn.Tasks.Text.TextTask.Name, stopped.StopReason!);
        var scored = task.Evaluate(Path.Combine(run, "model"), _tmp.Write("score.txt", "the cat sat on the mat. "), TextWriter.Null);
        Assert.True(double.IsFinite(scored.Metrics["loss"]));

        var done = task.Train(config, new HpcLearn.Runs.RunContext { Out = log, RunsRoot = _tmp["runs"], TensorBoard = false, Resume = true });
        Assert.False(done.Interrupted);
        Assert.True(File.Exists(Path.Combine(run, "model", "model.safetensors")));
    }

    [Fact]
    public void A_time_budget_stops_with_a_checkpoint_and_exit_3_and_a_resume_finishes()
    {
        // The clock moves 1 s per look and the loop looks once per step: the 10 s budget ends at step 9.
        var host = new HpcLearn.Cli.CliHost
        {
            Environment = new Dictionary<string, string>(), Clock = new HpcLearn.Tests.Cluster.TickingClock(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1)),
            ListenForSignals = _ => HpcLearn.Cluster.StopSignals.None(),
        };
        string config = _tmp.Write("text.yaml", Tiny);
        var r = CliRunner.Run(host, "train", config, "--out", _tmp["runs"], "--threads", "1", "--set", "train.max_time=00:00:10");

        Assert.True(r.ExitCode == HpcLearn.Cli.CliApp.Stopped, r.ToString());
        string checkpoint = Path.Combine(_tmp["runs/tiny"], "checkpoints", "step-000009.ckpt");
        Assert.Contains($"stopped: time budget reached (train.max_time 00:00:10); checkpoint: {checkpoint} (step 9 of 30)", r.Out);
        Assert.Contains($"resume with: hpclearn train {config} --resume --set train.max_time=00:00:10 --out {_tmp["runs"]}", r.Out);
        Assert.True(File.Exists(checkpoint));
        // The budget's end writes the weights so far as a usable model (the transformer alone: no mixture is fitted).
        HpcLearn.Tests.Runs.StoppedRun.AssertUsableModel(_tmp["runs/tiny"], HpcLearn.Tasks.Text.TextTask.Name, "time budget reached (train.max_time 00:00:10)");
        Assert.False(File.Exists(_tmp["runs/tiny/model/count-model.bin"]));

        var done = Train(Tiny, "--resume").AssertOk();
        Assert.Contains("(step 9)", done.Out);
        Assert.True(File.Exists(_tmp["runs/tiny/model/model.safetensors"]));
    }

    [Fact]
    public void A_byte_model_trains_on_any_bytes_and_its_folder_loads_back()
    {
        var path = _tmp["mixed.txt"];
        File.WriteAllBytes(path, [.. System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("café crème, 東京 ", 60))), 0xFF, 0x00]);
        var r = Train(Tiny.Replace("builtin_sentences: 300", $"path: '{path}', tokenizer: byte").Replace("total: 30", "total: 10"));
        r.AssertOk();
        Assert.Contains("vocabulary 256", r.Out);
        string model = _tmp["runs/tiny/model"];
        using (var artifact = HpcLearn.Tasks.Text.TextArtifact.Load(model))
            Assert.IsType<HpcLearn.Tasks.Text.ByteTokenizer>(artifact.Tokenizer);
        var g = CliRunner.Run("generate", model, "--prompt", "東京", "--tokens", "20", "--seed", "3").AssertOk();
        Assert.StartsWith("東京", g.Out);
    }

    [Fact]
    public void Epoch_keys_are_refused_with_the_key_to_use_instead()
    {
        var r = Train(Tiny.Replace("lr: 0.01}", "lr: 0.01, epochs: 3}"));
        r.AssertUserErrorStartsWith("");
        Assert.Contains("'train.epochs' is not used by the text task, which trains for steps.total steps on random blocks; set steps.total instead", r.Err);
    }

    [Fact]
    public void Binary_data_is_refused_for_characters_with_the_reason()
    {
        var path = _tmp["blob.bin"];
        File.WriteAllBytes(path, Enumerable.Range(0, 3000).Select(i => (byte)(i * 37 % 256)).ToArray());
        var r = Train(Tiny.Replace("builtin_sentences: 300", $"path: '{path}'"));
        r.AssertUserErrorStartsWith($"{path}: not UTF-8 text");
    }
}
