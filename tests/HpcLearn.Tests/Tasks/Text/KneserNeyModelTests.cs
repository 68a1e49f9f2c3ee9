using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class KneserNeyModelTests
{
    // The oracle's text and its output: kn_nltk_oracle.py beside this file (NLTK 3.8's
    // KneserNeyInterpolated, Debian python3-nltk), P(w | context) for w in " abcd" order.
    private const string Half = "abacab dab cabbad acdc bad cab abba dacab cadd bab acab ";
    private const string Alphabet = " abcd";

    private static readonly (int Order, double Discount, string Context, double[] P)[] Nltk =
    [
        (3, 0.1, "", new double[] { 0.2222222222222222, 0.2222222222222222, 0.16666666666666666, 0.16666666666666666, 0.2222222222222222 }),
        (3, 0.1, "a", new double[] { 0.09888888888888889, 0.008888888888888889, 0.39666666666666667, 0.29666666666666663, 0.1988888888888889 }),
        (3, 0.1, " ", new double[] { 0.011111111111111112, 0.2486111111111111, 0.24583333333333332, 0.24583333333333332, 0.2486111111111111 }),
        (3, 0.1, "ab", new double[] { 0.6643333333333333, 0.11544444444444445, 0.21983333333333335, 0.00016666666666666674, 0.00022222222222222231 }),
        (3, 0.1, "ca", new double[] { 0.0016481481481481482, 0.00014814814814814815, 0.8316111111111112, 0.004944444444444444, 0.16164814814814815 }),
        (3, 0.1, "dd", new double[] { 0.9698888888888888, 0.00988888888888889, 0.0006666666666666666, 0.009666666666666667, 0.00988888888888889 }),
        (3, 0.1, "b a", new double[] { 0.0028253968253968255, 0.000253968253968254, 0.42561904761904756, 0.5656190476190477, 0.005682539682539683 }),
        (3, 0.1, "cab", new double[] { 0.6643333333333333, 0.11544444444444445, 0.21983333333333335, 0.00016666666666666674, 0.00022222222222222231 }),
        (3, 0.1, "ddd", new double[] { 0.9698888888888888, 0.00988888888888889, 0.0006666666666666666, 0.009666666666666667, 0.00988888888888889 }),
        (3, 0.1, "dda", new double[] { 0.004944444444444445, 0.00044444444444444447, 0.4948333333333333, 0.4898333333333333, 0.009944444444444445 }),
        (3, 0.1, "bad", new double[] { 0.6632592592592593, 0.006592592592592593, 0.0004444444444444444, 0.0064444444444444445, 0.32325925925925925 }),
        (4, 0.75, "", new double[] { 0.2222222222222222, 0.2222222222222222, 0.16666666666666666, 0.16666666666666666, 0.2222222222222222 }),
        (4, 0.75, "a", new double[] { 0.09166666666666667, 0.06666666666666667, 0.375, 0.275, 0.19166666666666665 }),
        (4, 0.75, " ", new double[] { 0.08333333333333333, 0.23958333333333331, 0.21875, 0.21875, 0.23958333333333331 }),
        (4, 0.75, "ab", new double[] { 0.43125, 0.24791666666666667, 0.25520833333333337, 0.028124999999999997, 0.0375 }),
        (4, 0.75, "ca", new double[] { 0.04583333333333334, 0.03333333333333333, 0.6041666666666667, 0.1375, 0.17916666666666664 }),
        (4, 0.75, "dd", new double[] { 0.5375, 0.1375, 0.075, 0.11249999999999999, 0.1375 }),
        (4, 0.75, "b a", new double[] { 0.01375, 0.01, 0.53125, 0.41625, 0.028749999999999998 }),
        (4, 0.75, "cab", new double[] { 0.7896875, 0.0371875, 0.16328125, 0.004218749999999999, 0.005625 }),
        (4, 0.75, "ddd", new double[] { 0.5375, 0.1375, 0.075, 0.11249999999999999, 0.1375 }),
        (4, 0.75, "dda", new double[] { 0.06875, 0.05, 0.40625, 0.33125000000000004, 0.14375 }),
        (4, 0.75, "bad", new double[] { 0.88984375, 0.025781250000000002, 0.014062499999999999, 0.021093749999999998, 0.049218750000000006 }),
    ];

    private static int[] Ids(string s) => s.Select(ch => Alphabet.IndexOf(ch)).ToArray();

    [Fact]
    public void Single_discount_mode_equals_nltk_kneser_ney_interpolated()
    {
        var train = Ids(Half + Half);
        foreach (var group in Nltk.GroupBy(r => (r.Order, r.Discount)))
        {
            var (order, d) = group.Key;
            // NLTK discounts every order above the unigram, and its unigram is the plain continuation frequency.
            var discounts = Enumerable.Range(0, order).Select(k => KneserNeyDiscount.Single(k == 0 ? 0 : d)).ToArray();
            var m = new KneserNeyModel(train, order, Alphabet.Length, discounts);
            foreach (var (_, _, context, expected) in group)
            {
                var p = new double[Alphabet.Length];
                m.Distribution(Ids(context), p);
                for (int w = 0; w < Alphabet.Length; w++)
                {
                    Assert.Equal(expected[w], p[w], 12);
                    Assert.Equal(expected[w], m.Probability(Ids(context + Alphabet[w]), context.Length), 12);
                }
            }
        }
    }

    // a a b a a b a c: bigrams aa 2, ab 2, ba 2, ac 1; continuation counts of the unigrams
    // (distinct tokens before): a 2 (a, b), b 1, c 1; V = 4 (d never seen).
    private static readonly int[] Small = [0, 0, 1, 0, 0, 1, 0, 2];

    [Fact]
    public void Modified_discounts_give_the_hand_computed_probabilities()
    {
        var m = new KneserNeyModel(Small, 2, 4, [new(0.5, 0.8, 0.9), new(0.3, 0.6, 1.2)]);
        // Unigram: γ = (0.5·2 + 0.8·1) / 4 = 0.45; P(a) = (2 − 0.8)/4 + 0.45/4, P(b) = P(c) = (1 − 0.5)/4 + 0.45/4, P(d) = 0.45/4.
        double[] unigram = [0.4125, 0.2375, 0.2375, 0.1125];
        // After a (c(a·) = 5; N₁ = 1, N₂ = 2): γ = (0.3·1 + 0.6·2) / 5 = 0.3;
        // P(a|a) = (2 − 0.6)/5 + 0.3·0.4125, P(b|a) = (2 − 0.6)/5 + 0.3·0.2375, P(c|a) = (1 − 0.3)/5 + 0.3·0.2375, P(d|a) = 0.3·0.1125.
        double[] afterA = [0.40375, 0.35125, 0.21125, 0.03375];
        for (int w = 0; w < 4; w++)
        {
            Assert.Equal(unigram[w], m.Probability([w], 0), 12);
            Assert.Equal(afterA[w], m.Probability([0, w], 1), 12);
            Assert.Equal(unigram[w], m.Probability([2, w], 1), 12);   // c never has a follower: back to the unigram
            Assert.Equal(unigram[w], m.Probability([3, w], 1), 12);   // d never seen
        }
    }

    [Fact]
    public void Discounts_are_chen_and_goodmans_estimates()
    {
        // Y = 10 / (10 + 2·5) = 0.5: D₁ = 1 − 2·0.5·5/10, D₂ = 2 − 3·0.5·3/5, D₃₊ = 3 − 4·0.5·2/3.
        var d = KneserNeyDiscount.Estimate(10, 5, 3, 2);
        Assert.Equal(0.5, d.D1, 12);
        Assert.Equal(1.1, d.D2, 12);
        Assert.Equal(3 - 4.0 / 3, d.D3Plus, 12);
        // A tiny text lacks some n_k: Ney's single discount Y.
        var m = new KneserNeyModel(Small, 2, 4);
        Assert.Equal(KneserNeyDiscount.Single(2 / 4.0), m.Discounts[0]);   // continuation counts 2, 1, 1: n₁ = 2, n₂ = 1
        Assert.Equal(KneserNeyDiscount.Single(1 / 7.0), m.Discounts[1]);   // bigram counts 2, 2, 2, 1: n₁ = 1, n₂ = 3
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Probabilities_sum_to_one_in_every_context(int order)
    {
        // Vocabulary 4, token 3 never seen; every context of every length up to n − 1 (0..255 for order 5).
        var random = new Random(7);
        var train = Enumerable.Range(0, 400).Select(_ => random.Next(3) == 0 ? 0 : random.Next(3)).ToArray();
        foreach (var discounts in new KneserNeyDiscount[]?[] { null, Enumerable.Repeat(new KneserNeyDiscount(0.4, 1.1, 1.7), order).ToArray() })
        {
            var m = new KneserNeyModel(train, order, 4, discounts);
            Assert.True(discounts is not null || order < 5 || m.Discounts.Any(d => d.D1 != d.D2), "modified discounts estimated");
            for (int length = 0; length < order; length++)
                for (int code = 0; code < 1 << (2 * length); code++)
                {
                    var context = Enumerable.Range(0, length).Select(j => (code >> (2 * j)) & 3).ToList();
                    var p = new double[4];
                    m.Distribution(context, p);
                    Assert.Equal(1.0, p.Sum(), 12);
                    Assert.All(p, x => Assert.True(x > 0));
                    for (int w = 0; w < 4; w++) Assert.Equal(p[w], m.Probability([.. context, w], length), 14);
                }
        }
    }

    [Fact]
    public void On_the_builtin_corpus_the_five_gram_beats_both_four_grams()
    {
        using var data = TextData.FromSource(TextSource.FromText("built-in", HpcLearn.Data.SyntheticSentences.Generate(3000, 1)), new TextDataOptions());
        int v = data.Tokenizer.VocabSize;
        double wb4 = new NGramModel(data.TrainIds, 4, v).NatsPerToken(data.ValidIds);
        double kn4 = new KneserNeyModel(data.TrainIds, 4, v).NatsPerToken(data.ValidIds);
        double kn5 = new KneserNeyModel(data.TrainIds, 5, v).NatsPerToken(data.ValidIds);
        // The grammar's sentences suit Witten-Bell's 4-gram about as well as Kneser-Ney's (within 1%); one more token of context helps both.
        Assert.True(Math.Abs(kn4 - wb4) < 0.01 * wb4, $"KN 4-gram {kn4} vs Witten-Bell {wb4}");
        Assert.True(kn5 < Math.Min(kn4, wb4) - 0.01, $"KN 5-gram {kn5} vs 4-grams {kn4}, {wb4}");
    }
}
