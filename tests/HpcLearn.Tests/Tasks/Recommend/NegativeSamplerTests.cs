using HpcLearn.Data;
using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>Negatives are never a positive of the user, cover every other item uniformly, and repeat for a seed.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class NegativeSamplerTests
{
    // 3 users over 6 items: user 0 has {1, 3}, user 1 has {0, 5, 2}, user 2 has all six.
    private static NegativeSampler Sampler(int perPositive = 1) => new([[1, 3], [5, 0, 2], [0, 1, 2, 3, 4, 5]], 6, perPositive);

    [Fact]
    public void The_free_items_in_order_are_exactly_the_complement()
    {
        var s = Sampler();
        Assert.Equal(new[] { 0, 2, 4, 5 }, Enumerable.Range(0, 4).Select(r => s.NthFree(0, r)));
        Assert.Equal(new[] { 1, 3, 4 }, Enumerable.Range(0, 3).Select(r => s.NthFree(1, r)));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.NthFree(0, 4));
    }

    [Fact]
    public void Draws_are_never_a_positive_and_roughly_uniform_over_the_rest()
    {
        var s = Sampler();
        var rng = new Random(3);
        var counts = new int[6];
        for (int n = 0; n < 8000; n++) counts[s.Draw(0, rng)]++;
        Assert.Equal(0, counts[1]);
        Assert.Equal(0, counts[3]);
        // 2,000 expected per free item; 5 standard deviations is about ±195.
        foreach (int i in new[] { 0, 2, 4, 5 }) Assert.InRange(counts[i], 1800, 2200);
    }

    [Fact]
    public void A_user_with_every_item_has_no_negatives()
    {
        var s = Sampler();
        Assert.True(s.HasNegatives(0));
        Assert.False(s.HasNegatives(2));
        var e = Assert.Throws<InvalidOperationException>(() => s.Draw(2, new Random(1)));
        Assert.Contains("interacted with every item", e.Message);
    }

    [Fact]
    public void The_batch_transform_appends_negatives_that_repeat_for_the_same_seed_epoch_and_batch()
    {
        var s = Sampler(perPositive: 3);
        long[] Negatives(int seed, int epoch, int batch)
        {
            using var b = s.Transform(seed)(new Batch([tensor(new long[] { 0, 1, 0, 1 }), tensor(new long[] { 1, 0, 3, 5 })], ones(4)), epoch, batch);
            Assert.Equal(3, b.Inputs.Length);
            Assert.Equal(new long[] { 4, 3 }, b.Inputs[2].shape);
            return b.Inputs[2].data<long>().ToArray();
        }
        var first = Negatives(7, 2, 5);
        Assert.Equal(first, Negatives(7, 2, 5));
        Assert.NotEqual(first, Negatives(7, 3, 5));
        Assert.NotEqual(first, Negatives(8, 2, 5));
        for (int row = 0; row < 4; row++)
            for (int n = 0; n < 3; n++)
                Assert.DoesNotContain((int)first[row * 3 + n], row % 2 == 0 ? new[] { 1, 3 } : new[] { 0, 5, 2 });
    }
}
