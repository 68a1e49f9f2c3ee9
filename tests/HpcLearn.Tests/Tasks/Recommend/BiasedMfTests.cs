using HpcLearn.Tasks.Recommend;
using HpcLearn.Tests.Tasks.Tabular;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>Biased MF's prediction, L2 penalty and gradients on two ratings, against values worked out by hand.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class BiasedMfTests
{
    // F = 2, range [1, 5]. Users: [p | b] = (1, 0.5 | 0.3), (0, 2 | −0.2); items: (0.5, −1 | 0.1), (1, 1 | 0.4).
    // x(0, 1) = 1 + 0.5 + 0.3 + 0.4 = 2.2; x(1, 0) = −2 − 0.2 + 0.1 = −2.1.
    // penalty λ/2 Σ over the two ratings of ‖row_u‖² + ‖row_i‖² = 0.1/2 ((1.25 + 0.09 + 2 + 0.16) + (4 + 0.04 + 1.25 + 0.01)) = 0.44.
    private static BiasedMf Model()
    {
        var m = new BiasedMf(users: 2, items: 2, factors: 2, low: 1, high: 5, l2: 0.1);
        var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            p["users.weight"].copy_(tensor(new float[] { 1f, 0.5f, 0.3f, 0f, 2f, -0.2f }).reshape(2, 3));
            p["items.weight"].copy_(tensor(new float[] { 0.5f, -1f, 0.1f, 1f, 1f, 0.4f }).reshape(2, 3));
        }
        return m;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public void Predicts_the_squashed_dot_product_plus_both_biases_and_penalises_every_looked_up_value()
    {
        using var m = Model();
        m.train();
        var r = m.forward([tensor(new long[] { 0, 1 }), tensor(new long[] { 1, 0 })]).data<float>().ToArray();
        Assert.Equal(1 + 4 * Sigmoid(2.2), r[0], 5);
        Assert.Equal(1 + 4 * Sigmoid(-2.1), r[1], 5);
        Assert.Equal(0.44, m.TakePenalty()!.ToDouble(), 6);
        m.eval();
        m.forward([tensor(new long[] { 0 }), tensor(new long[] { 1 })]);
        Assert.Null(m.TakePenalty());
    }

    [Fact]
    public void Gradients_of_prediction_plus_penalty_match_the_hand_derivation()
    {
        using var m = Model();
        m.train();
        var r = m.forward([tensor(new long[] { 0 }), tensor(new long[] { 1 })]);
        r.sum().add(m.TakePenalty()!).backward();
        // d r̂/dx = 4 σ(x)(1 − σ(x)) at x = 2.2; d/dp_0 = s q_1, d/db_0 = s; penalty (one rating, λ = 0.1) adds 2λ·value.
        double s = 4 * Sigmoid(2.2) * (1 - Sigmoid(2.2));
        var g = m.named_parameters().ToDictionary(x => x.name, x => x.parameter.grad!.data<float>().ToArray());
        double[] users = [s * 1 + 0.2 * 1, s * 1 + 0.2 * 0.5, s + 0.2 * 0.3, 0, 0, 0];
        double[] items = [0, 0, 0, s * 1 + 0.2 * 1, s * 0.5 + 0.2 * 1, s + 0.2 * 0.4];
        for (int k = 0; k < 6; k++)
        {
            Assert.Equal(users[k], g["users.weight"][k], 5);
            Assert.Equal(items[k], g["items.weight"][k], 5);
        }
    }

    [Fact]
    public void Starts_with_zero_biases_and_small_factors_and_exposes_only_the_factors_as_item_vectors()
    {
        using var m = new BiasedMf(users: 30, items: 40, factors: 8, low: 0.5, high: 5.5);
        var items = m.named_parameters().Single(p => p.name == "items.weight").parameter;
        Assert.Equal([40L, 9L], items.shape);
        Assert.All(items.select(1, 8).data<float>().ToArray(), b => Assert.Equal(0f, b));
        var factors = items.narrow(1, 0, 8).data<float>().ToArray();
        Assert.InRange(factors.Select(Math.Abs).Max(), 1e-4, 0.06);   // N(0, 0.01²): 320 draws stay within 6σ
        Assert.Equal([40L, 8L], m.ItemVectors().shape);
    }
}
