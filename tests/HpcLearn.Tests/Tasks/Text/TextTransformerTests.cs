using HpcLearn.Tasks.Tabular;
using HpcLearn.Tasks.Text;
using HpcLearn.Tests.Tasks.Tabular;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Text;

/// <summary>Oracle tests of the transformer: causality, the cache against the full forward, and overfitting.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TextTransformerTests : IDisposable
{
    private readonly OneThread _threads = new();

    public void Dispose() => _threads.Dispose();

    private static TextTransformer Tiny(int vocab = 11, int block = 12)
    {
        torch.manual_seed(3);
        var model = new TextTransformer(vocab, block, new TextModelOptions { Layers = 2, Heads = 2, Embedding = 16, Dropout = 0.1 });
        model.eval();
        return model;
    }

    private static Tensor Tokens(long[] ids) => tensor(ids, dtype: ScalarType.Int64).view(1, ids.Length);

    [Fact]
    public void Changing_a_later_token_leaves_earlier_logits_unchanged()
    {
        using var model = Tiny();
        using var noGrad = no_grad();
        long[] a = [1, 5, 2, 9, 3, 3, 7, 0, 4, 10, 6, 8];
        long[] b = (long[])a.Clone();
        b[7] = 2;                                                  // token t + 1 = 7 changes
        using var la = model.forward(Tokens(a));                   // (1, T, V)
        using var lb = model.forward(Tokens(b));
        Assert.True(la[.., ..7].allclose(lb[.., ..7], rtol: 0, atol: 1e-6));           // positions ≤ 6 see nothing of it
        Assert.False(la[.., 7..].allclose(lb[.., 7..], rtol: 0, atol: 1e-3));          // positions ≥ 7 do
    }

    [Fact]
    public void Cached_forward_gives_the_full_forward_logits()
    {
        using var model = Tiny();
        using var noGrad = no_grad();
        long[] ids = [4, 1, 8, 8, 0, 2, 10, 5, 3, 7, 6, 9];
        using var full = model.forward(Tokens(ids));               // (1, 12, V)
        using var cache = model.NewCache();
        using var prompt = model.Forward(Tokens(ids[..5]), cache); // (1, 5, V)
        Assert.True(prompt.allclose(full[.., ..5], rtol: 0, atol: 1e-5));
        for (int t = 5; t < ids.Length; t++)
        {
            using var step = model.Forward(Tokens([ids[t]]), cache);   // (1, 1, V)
            Assert.True(step[0, 0].allclose(full[0, t], rtol: 0, atol: 1e-5), $"position {t}");
        }
        Assert.Equal(12, cache.Length);
    }

    [Fact]
    public void Weights_are_tied_and_counted_once()
    {
        using var model = Tiny(vocab: 11, block: 12);
        // wte 11·16 + wpe 12·16 + 2 blocks × (2·LN 64 + attn 16·48+48 + 16·16+16 + mlp 16·64+64 + 64·16+16) + LN 32
        long perBlock = 64 + (16 * 48 + 48) + (16 * 16 + 16) + (16 * 64 + 64) + (64 * 16 + 16);
        Assert.Equal(11 * 16 + 12 * 16 + 2 * perBlock + 32, model.ParameterCount);
    }

    [Fact]
    public void A_tiny_model_overfits_a_repeated_string()
    {
        var config = new TextConfig
        {
            Data = new TextDataOptions { BlockSize = 16 },
            Model = new TextModelOptions { Layers = 1, Heads = 2, Embedding = 32, Dropout = 0 },
            Train = new HpcLearn.Config.TrainOptions { BatchSize = 8, LearningRate = 1e-2, WeightDecay = 0, GradClip = 1 },
            Steps = new TextStepOptions { Total = 150, Warmup = 10, EvalBatches = 1 },
        };
        using var data = TextData.FromSource(TextSource.FromText("t", string.Concat(Enumerable.Repeat("hello world! ", 40))), config.Data);
        torch.manual_seed(7);
        using var model = new TextTransformer(data.Tokenizer.VocabSize, 16, config.Model);
        using var trainer = new TextTrainer(model, data, config);
        double first = trainer.TrainStep();
        while (trainer.Step < config.Steps.Total) trainer.TrainStep();
        double valid = trainer.ValidLoss();
        Assert.True(first > 2.0, $"first loss {first}");
        Assert.True(valid < 0.05, $"valid loss {valid}");   // all but the first characters of a block are certain
    }

    [Fact]
    public void Sampling_is_reproducible_and_the_cache_changes_nothing_within_a_block()
    {
        using var model = Tiny(vocab: 11, block: 24);
        var tok = new CharTokenizer("abcdefghij".EnumerateRunes());
        var sampler = new TextSampler(model, tok);
        var o = new SamplingOptions { Tokens = 18, Temperature = 1.0, TopK = 5, Seed = 12 };
        int[] prompt = [1, 2, 3];
        var cached = sampler.Sample(prompt, o).ToList();
        Assert.Equal(cached, sampler.Sample(prompt, o).ToList());
        Assert.Equal(cached, sampler.Sample(prompt, o with { UseCache = false }).ToList());
        Assert.NotEqual(cached, sampler.Sample(prompt, o with { Seed = 13 }).ToList());
        // Past the block size the cache restarts from half a block: still reproducible and the requested length.
        var longer = sampler.Sample(prompt, o with { Tokens = 60 }).ToList();
        Assert.Equal(60, longer.Count);
        Assert.Equal(longer, sampler.Sample(prompt, o with { Tokens = 60 }).ToList());
    }

    [Fact]
    public void Greedy_sampling_follows_the_argmax_of_the_full_forward()
    {
        using var model = Tiny(vocab: 11, block: 12);
        var sampler = new TextSampler(model, new CharTokenizer("abcdefghij".EnumerateRunes()));
        var ids = new List<long> { 3, 4 };
        var greedy = sampler.Sample([3, 4], new SamplingOptions { Tokens = 8, Temperature = 0 }).ToList();
        using var noGrad = no_grad();
        foreach (int next in greedy)
        {
            using var logits = model.forward(Tokens(ids.ToArray()));
            Assert.Equal(logits[0, ids.Count - 1].argmax().item<long>(), next);
            ids.Add(next);
        }
    }
}
