using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class TextSamplerTests
{
    private static readonly float[] Logits = [0.5f, 3f, -1f, 2.5f, 2f, 0f];

    [Fact]
    public void Top_k_draws_only_the_k_likeliest_and_all_of_them()
    {
        var random = new Random(1);
        var seen = Enumerable.Range(0, 2000).Select(_ => TextSampler.Draw(Logits, 1.0, 3, random)).ToHashSet();
        Assert.Equal(new HashSet<int> { 1, 3, 4 }, seen);
    }

    [Fact]
    public void Frequencies_follow_the_tempered_softmax()
    {
        var random = new Random(2);
        const int n = 40000;
        var counts = new int[Logits.Length];
        for (int i = 0; i < n; i++) counts[TextSampler.Draw(Logits, 0.5, 0, random)]++;
        var p = Logits.Select(l => Math.Exp(l / 0.5)).ToArray();
        double z = p.Sum();
        for (int i = 0; i < p.Length; i++)
            Assert.InRange(counts[i] / (double)n, p[i] / z - 0.01, p[i] / z + 0.01);
    }

    [Fact]
    public void Temperature_zero_and_top_one_take_the_likeliest()
    {
        Assert.Equal(1, TextSampler.Draw(Logits, 0, 0, new Random(3)));
        Assert.Equal(1, TextSampler.Draw(Logits, 2.0, 1, new Random(3)));
    }

    [Theory]
    [InlineData(0, 0.8, 40, "--tokens 0: nothing to generate; pass --tokens N with N at least 1")]
    [InlineData(10, -1, 40, "--temperature -1: must be 0 (greedy) or positive, e.g. 0.8")]
    [InlineData(10, 0.8, -2, "--top-k -2: must be 0 (no limit) or positive, e.g. 40")]
    public void Bad_options_are_refused(int tokens, double temperature, int topK, string message)
    {
        var e = Assert.Throws<UserError>(() => new SamplingOptions { Tokens = tokens, Temperature = temperature, TopK = topK }.Check());
        Assert.Equal(message, e.Message);
    }
}
