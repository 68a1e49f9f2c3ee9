using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Evaluation;

public class MetricInfoTests
{
    [Theory]
    [InlineData("accuracy", true)]
    [InlineData("macro_f1", true)]
    [InlineData("r2", true)]
    [InlineData("log_loss", false)]
    [InlineData("rmse", false)]
    [InlineData("mae", false)]
    [InlineData("loss", false)]
    [InlineData("relative_l2_error", false)]
    [InlineData("judge_optimal", true)]
    [InlineData("ndcg_at_10", true)]
    [InlineData("hit_rate_at_5", true)]
    [InlineData("score_vs_mcts_1000", true)]
    [InlineData("losses_vs_solver", false)]
    public void Direction_is_known_for_each_metric(string metric, bool higherIsBetter)
    {
        Assert.Equal(higherIsBetter, MetricInfo.HigherIsBetter(metric));
    }

    [Fact]
    public void Beats_when_higher_is_better()
    {
        Assert.True(MetricInfo.Beats("accuracy", 0.7, 0.6));
        Assert.False(MetricInfo.Beats("accuracy", 0.6, 0.7));
        Assert.False(MetricInfo.Beats("accuracy", 0.6, 0.6));
    }

    [Fact]
    public void Beats_when_lower_is_better()
    {
        Assert.True(MetricInfo.Beats("log_loss", 0.5, 0.6));
        Assert.False(MetricInfo.Beats("log_loss", 0.7, 0.6));
        Assert.False(MetricInfo.Beats("rmse", double.NaN, 1.0));
    }

    [Fact]
    public void DisplayName_is_readable()
    {
        Assert.Equal("Log loss", MetricInfo.DisplayName("log_loss"));
        Assert.Equal("NDCG@10", MetricInfo.DisplayName("ndcg_at_10"));
        Assert.Equal("Hit rate@20", MetricInfo.DisplayName("hit_rate_at_20"));
        Assert.False(MetricInfo.IsKnown("ndcg_at_ten"));
        Assert.False(MetricInfo.IsKnown("auc_at_10"));
    }

    [Fact]
    public void Unknown_metric_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => MetricInfo.Beats("auc", 1, 0));
        Assert.Equal(
            "unknown metric 'auc'; known metrics are accuracy, macro_f1, log_loss, rmse, mae, r2, loss, bits_per_char, relative_l2_error, max_abs_error, judge_optimal, judge_hard, judge_outcome_kept, silhouette, davies_bouldin, calinski_harabasz, inertia, log_likelihood, bic, aic, ari, nmi. (Parameter 'metric')",
            e.Message);
    }
}
