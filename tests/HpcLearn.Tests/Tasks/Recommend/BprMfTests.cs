using HpcLearn.Tasks.Recommend;
using TorchSharp;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using static TorchSharp.torch;

namespace HpcLearn.Tests.Tasks.Recommend;

/// <summary>The BPR loss and its gradients on one (user, positive, negative) triple, against values worked out by hand.</summary>
[Collection(TorchGlobalStateCollection.Name)]
public sealed class BprMfTests
{
    // p_0 = (1, 0.5); q_1 = (0.5, −1), b_1 = 0.2; q_2 = (−0.5, 1), b_2 = −0.1; λ = 0.1.
    // s(0,1) = 0.5 − 0.5 + 0.2 = 0.2; s(0,2) = −0.5 + 0.5 − 0.1 = −0.1; x = 0.3.
    // −ln σ(0.3) = ln(1 + e^−0.3) = 0.5543552444685271; penalty 0.1 (1.25 + 1.25 + 0.04 + 1.25 + 0.01) = 0.38.
    private static BprMf Model(double l2)
    {
        var m = new BprMf(users: 1, items: 3, factors: 2, l2);
        var p = m.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using (no_grad())
        {
            p["user_factors.weight"].copy_(tensor(new float[] { 1f, 0.5f }).reshape(1, 2));
            p["item_factors.weight"].copy_(tensor(new float[] { 9f, 9f, 0.5f, -1f, -0.5f, 1f }).reshape(3, 2));
            p["item_bias.weight"].copy_(tensor(new float[] { 9f, 0.2f, -0.1f }).reshape(3, 1));
        }
        return m;
    }

    private static Tensor[] Triple() =>
        [tensor(new long[] { 0 }), tensor(new long[] { 1 }), tensor(new long[] { 2 }).reshape(1, 1)];

    [Fact]
    public void Scores_and_differences_are_the_dot_products_plus_item_bias()
    {
        using var m = Model(0);
        m.eval();
        using var s = m.forward([tensor(new long[] { 0, 0 }), tensor(new long[] { 1, 2 })]);
        Assert.Equal(new[] { 0.2f, -0.1f }, s.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        using var x = m.forward(Triple());
        Assert.Equal(new long[] { 1, 1 }, x.shape);
        Assert.Equal(0.3, x.item<float>(), 6);
    }

    [Fact]
    public void Loss_and_gradients_match_the_hand_computed_values()
    {
        using var m = Model(0.1);
        m.train();
        var loss = RecommendModels.BprLoss(m)(m.forward(Triple()), ones(1));
        Assert.Equal(0.5543552444685271 + 0.38, loss.item<float>(), 5);
        loss.backward();
        // ∂/∂p_u = −(1 − σ(x)) (q_i − q_j) + 2λ p_u; ∂/∂q_i = −(1 − σ(x)) p_u + 2λ q_i; ∂/∂q_j = (1 − σ(x)) p_u + 2λ q_j;
        // ∂/∂b_i = −(1 − σ(x)) + 2λ b_i; ∂/∂b_j = (1 − σ(x)) + 2λ b_j; item 0 is untouched.
        var g = m.named_parameters().ToDictionary(x => x.name, x => x.parameter.grad!.data<float>().ToArray());
        AssertClose([-0.22555748318834096, 0.9511149663766819], g["user_factors.weight"]);
        AssertClose([0, 0, -0.325557483188341, -0.4127787415941705, 0.325557483188341, 0.4127787415941705], g["item_factors.weight"]);
        AssertClose([0, -0.38555748318834093, 0.40555748318834095], g["item_bias.weight"]);
    }

    [Fact]
    public void Evaluation_mode_has_no_penalty()
    {
        using var m = Model(0.1);
        m.eval();
        var loss = RecommendModels.BprLoss(m)(m.forward(Triple()), ones(1));
        Assert.Equal(0.5543552444685271, loss.item<float>(), 5);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++) Assert.True(Math.Abs(expected[k] - actual[k]) < 1e-5, $"[{k}]: {actual[k]} vs {expected[k]}");
    }
}
