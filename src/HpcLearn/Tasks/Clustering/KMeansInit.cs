namespace HpcLearn.Tasks.Clustering;

/// <summary>How k-means chooses its starting centres.</summary>
public enum KMeansInit
{
    /// <summary>k-means++ with one candidate per step (Arthur and Vassilvitskii, 2007).</summary>
    KMeansPlusPlus,
    /// <summary>Greedy k-means++: 2 + ln(k) candidates per step, keeping the one that lowers the potential most (scikit-learn's default).</summary>
    GreedyKMeansPlusPlus,
    /// <summary>The centres in <see cref="KMeansOptions.InitialCentres"/>; one run, whatever <see cref="KMeansOptions.NInit"/> says.</summary>
    Given,
}
