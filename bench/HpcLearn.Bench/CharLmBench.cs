using System.Diagnostics;
using System.Globalization;
using HpcLearn.Tasks.Text;
using TorchSharp;

namespace HpcLearn.Bench;

/// <summary>
/// charlm-corpus SENTENCES OUT: writes the built-in corpus (seed 42) for both sides of the benchmark.
/// charlm TEXT THREADS BATCH WARMUP STEPS SAMPLE_TOKENS: the text task's 4-layer, 4-head, 128-wide,
/// block-64 character model (dropout 0) trained through <see cref="TextTrainer"/> (AdamW, warm-up
/// and cosine, clipping at 1): after WARMUP untimed steps, STEPS timed steps → training tokens/s.
/// Then SAMPLE_TOKENS tokens sampled with the key-value cache and without it → sampling tokens/s.
/// </summary>
internal static class CharLmBench
{
    public static int WriteCorpus(string[] args)
    {
        File.WriteAllText(args[1], HpcLearn.Data.SyntheticSentences.Generate(int.Parse(args[0], CultureInfo.InvariantCulture), 42));
        return 0;
    }

    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        string path = args[0];
        int threads = int.Parse(args[1], inv), batch = int.Parse(args[2], inv), warmup = int.Parse(args[3], inv),
            steps = int.Parse(args[4], inv), sampleTokens = int.Parse(args[5], inv);
        torch.set_num_threads(threads);
        var config = new TextConfig
        {
            Data = new TextDataOptions { Path = path, BlockSize = 64 },
            Model = new TextModelOptions { Layers = 4, Heads = 4, Embedding = 128, Dropout = 0 },
            Train = new HpcLearn.Config.TrainOptions { BatchSize = batch, LearningRate = 1e-3, WeightDecay = 0.1, GradClip = 1 },
            Steps = new TextStepOptions { Total = warmup + steps, Warmup = Math.Max(1, warmup) },
        };
        using var data = TextData.Prepare(config.Data, config.Seed);
        torch.manual_seed(config.Seed);
        using var model = new TextTransformer(data.Tokenizer.VocabSize, 64, config.Model);
        using var trainer = new TextTrainer(model, data, config);
        double first = 0;
        for (int i = 0; i < warmup; i++) first = trainer.TrainStep();
        var sw = Stopwatch.StartNew();
        double last = 0;
        for (int i = 0; i < steps; i++) last = trainer.TrainStep();
        double seconds = sw.Elapsed.TotalSeconds;
        double tokensPerSecond = (double)steps * batch * 64 / seconds;
        Console.WriteLine(string.Create(inv,
            $"params={model.ParameterCount} vocab={data.Tokenizer.VocabSize} threads={torch.get_num_threads()} batch={batch} steps={steps} step_ms={seconds * 1000 / steps:F1} tokens_per_s={tokensPerSecond:F0} loss_after_warmup={first:F4} loss_last={last:F4}"));

        var sampler = new TextSampler(model, data.Tokenizer);
        int[] prompt = data.Tokenizer.Encode("The ", out _);
        double Rate(bool cache)
        {
            var options = new SamplingOptions { Tokens = sampleTokens, Temperature = 0.8, TopK = 40, Seed = 1, UseCache = cache };
            sampler.Sample(prompt, options with { Tokens = 8 }).ToList();   // warm up
            var clock = Stopwatch.StartNew();
            int n = sampler.Sample(prompt, options).Count();
            return n / clock.Elapsed.TotalSeconds;
        }
        double cached = Rate(true), uncached = Rate(false);
        Console.WriteLine(string.Create(inv, $"sample_tokens={sampleTokens} sample_cache_tok_s={cached:F0} sample_nocache_tok_s={uncached:F0} cache_speedup={cached / uncached:F2}"));
        return 0;
    }
}
