using HpcLearn.Evaluation;
using Xunit;

namespace HpcLearn.Tests.Tasks.Vision;

public sealed class TopLossesTests
{
    [Fact]
    public void Picks_the_misclassified_rows_with_the_lowest_probability_for_the_truth()
    {
        int[] truth = [0, 1, 0, 1, 0];
        double[][] p = [[0.9, 0.1], [0.6, 0.4], [0.05, 0.95], [0.2, 0.8], [0.3, 0.7]];
        // Wrong: rows 1 (p_true 0.4), 2 (0.05), 4 (0.3); row 3 is right.
        Assert.Equal([2, 4, 1], TopLosses.Select(truth, p, 5));
        Assert.Equal([2], TopLosses.Select(truth, p, 1));
        Assert.Equal(-Math.Log(0.05), TopLosses.Loss(0, p[2]), 12);
    }
}
