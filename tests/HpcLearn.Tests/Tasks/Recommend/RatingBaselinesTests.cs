using HpcLearn.Tasks.Recommend;
using Xunit;

namespace HpcLearn.Tests.Tasks.Recommend;

public sealed class RatingBaselinesTests
{
    [Fact]
    public void Means_by_hand_and_unknown_ids_fall_back_to_the_global_mean()
    {
        // user 0 rates items 0, 1 with 4, 2; user 1 rates item 0 with 3.
        var train = new RatingPairs([0, 0, 1], [0, 1, 0], [4, 2, 3]);
        var b = RatingBaselines.Fit(train, 2, 2, 1, 5);
        Assert.Equal(3.0, b.GlobalMean, 6);
        Assert.Equal(3f, b.Predict(BaselineKind.UserMean, 0, 1));
        Assert.Equal(3f, b.Predict(BaselineKind.UserMean, 1, 0));
        Assert.Equal(3.5f, b.Predict(BaselineKind.ItemMean, 0, 0));
        Assert.Equal(2f, b.Predict(BaselineKind.ItemMean, 1, 1));
        Assert.Equal(3f, b.Predict(BaselineKind.ItemMean, 1, -1));
        Assert.Equal(3f, b.Predict(BaselineKind.Biases, -1, -1));
        Assert.Equal([2f, 1f], b.ItemScores(BaselineKind.Popularity)!);
        Assert.Null(b.ItemScores(BaselineKind.UserMean));
    }

    [Fact]
    public void Unregularised_biases_fit_an_additive_matrix_exactly()
    {
        // r = 3 + a_u + c_i on a full 4 x 3 grid: with λ = 0 the alternating fit is exact.
        double[] a = [0.5, -0.25, 0, 1], c = [-1, 0.5, 0.25];
        var users = new List<int>(); var items = new List<int>(); var r = new List<float>();
        for (int u = 0; u < 4; u++) for (int i = 0; i < 3; i++) { users.Add(u); items.Add(i); r.Add((float)(3 + a[u] + c[i])); }
        var b = RatingBaselines.Fit(new RatingPairs(users.ToArray(), items.ToArray(), r.ToArray()), 4, 3, 1, 5, sweeps: 50, regUser: 0, regItem: 0);
        for (int k = 0; k < r.Count; k++) Assert.Equal(r[k], b.Predict(BaselineKind.Biases, users[k], items[k]), 4);
    }

    [Fact]
    public void Predictions_are_clipped_to_the_range()
    {
        var train = new RatingPairs([0, 1], [0, 0], [5, 5]);
        var b = RatingBaselines.FromSaved(4.5, [1f, 1f], [1f], [2], 1, 5);
        Assert.Equal(5f, b.Predict(BaselineKind.Biases, 0, 0));
        Assert.Equal(2, train.Count);
    }
}
