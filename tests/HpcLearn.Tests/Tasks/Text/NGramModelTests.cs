using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class NGramModelTests
{
    private static readonly int[] Train = [1, 2, 3, 1, 2, 3, 1, 2, 4, 0, 1, 2, 3, 3, 2, 1];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Probabilities_sum_to_one_in_every_context(int order)
    {
        var m = new NGramModel(Train, order, vocabSize: 6);       // id 5 never seen
        int[] contexts = [1, 2, 3, 3, 5, 5, 1];
        for (int end = 0; end < contexts.Length; end++)
        {
            double sum = 0;
            for (int w = 0; w < 6; w++)
            {
                var seq = contexts.Take(end).Append(w).ToArray();
                sum += m.Probability(seq, end);
            }
            Assert.Equal(1.0, sum, 12);
        }
    }

    [Fact]
    public void Unigram_is_witten_bell_smoothed_frequency()
    {
        var m = new NGramModel(Train, 1, vocabSize: 6);
        // c(1) = 5 of N = 16, T = 5 distinct tokens: (5 + 5/6) / (16 + 5)
        Assert.Equal((5 + 5 / 6.0) / 21, m.Probability([1], 0), 12);
        Assert.Equal((0 + 5 / 6.0) / 21, m.Probability([5], 0), 12);
    }

    [Fact]
    public void A_four_gram_model_learns_a_deterministic_cycle_and_beats_the_unigram()
    {
        var cycle = Enumerable.Range(0, 2000).Select(i => new[] { 0, 1, 2, 1, 3, 1 }[i % 6]).ToArray();
        double four = new NGramModel(cycle, 4, 4).NatsPerToken(cycle[..120]);
        double one = new NGramModel(cycle, 1, 4).NatsPerToken(cycle[..120]);
        Assert.True(four < 0.05, $"4-gram {four}");
        Assert.True(one > 1.0, $"unigram {one}");
    }
}
