using HpcLearn.Tasks.Text;
using Xunit;

namespace HpcLearn.Tests.Tasks.Text;

public sealed class TextMixtureTests
{
    [Fact]
    public void Em_weight_is_the_best_weight_of_a_fine_grid()
    {
        var random = new Random(3);
        var nats = Enumerable.Range(0, 500).Select(_ => -Math.Log(0.05 + 0.9 * random.NextDouble())).ToArray();
        var count = Enumerable.Range(0, 500).Select(_ => 0.05 + 0.9 * random.NextDouble()).ToArray();
        double lambda = TextMixture.FitWeight(nats, count);
        double best = Enumerable.Range(0, 1001).Select(i => i / 1000.0).MinBy(l => TextMixture.NatsPerToken(l, nats, count));
        Assert.InRange(lambda, 0.01, 0.99);
        Assert.Equal(best, lambda, 2);
        Assert.True(TextMixture.NatsPerToken(lambda, nats, count) <= TextMixture.NatsPerToken(best, nats, count) + 1e-9);
    }

    [Fact]
    public void Weight_goes_to_the_model_that_is_always_better_and_the_ends_are_the_models()
    {
        double[] nats = [1.0, 2.0, 0.5];
        double[] sure = [0.9, 0.95, 0.99];
        Assert.True(TextMixture.FitWeight(nats, sure) < 1e-3);
        Assert.Equal(nats.Average(), TextMixture.NatsPerToken(1, nats, sure), 12);
        Assert.Equal(sure.Average(p => -Math.Log(p)), TextMixture.NatsPerToken(0, nats, sure), 12);
    }
}
