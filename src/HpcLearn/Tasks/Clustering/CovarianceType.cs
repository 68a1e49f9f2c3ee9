using HpcLearn.Config;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The shape of each Gaussian mixture component's covariance (scikit-learn's <c>covariance_type</c>).</summary>
public enum CovarianceType
{
    /// <summary>A full d × d covariance per component: k·d(d+1)/2 parameters.</summary>
    Full,
    /// <summary>A diagonal covariance (one variance per column) per component: k·d parameters.</summary>
    [ConfigName("diag")]
    Diagonal,
    /// <summary>One variance per component, the same in every column: k parameters.</summary>
    Spherical,
}
