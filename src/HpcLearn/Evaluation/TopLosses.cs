namespace HpcLearn.Evaluation;

/// <summary>
/// The examples a classifier is most confidently wrong about: the highest cross-entropy
/// (−log of the probability given to the true class) among the misclassified ones.
/// </summary>
public static class TopLosses
{
    /// <summary>Up to <paramref name="k"/> row indices, worst first.</summary>
    public static int[] Select(int[] truth, double[][] probabilities, int k)
    {
        return Enumerable.Range(0, truth.Length)
            .Where(i => Array.IndexOf(probabilities[i], probabilities[i].Max()) != truth[i])
            .OrderByDescending(i => Loss(truth[i], probabilities[i]))
            .ThenBy(i => i)
            .Take(k)
            .ToArray();
    }

    /// <summary>−log p(true class), with p floored at <see cref="ClassificationMetrics.Epsilon"/>.</summary>
    public static double Loss(int truth, double[] probabilities) => -Math.Log(Math.Max(probabilities[truth], ClassificationMetrics.Epsilon));
}
