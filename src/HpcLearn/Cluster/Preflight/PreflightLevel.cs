namespace HpcLearn.Cluster.Preflight;

/// <summary>How bad a pre-flight finding is.</summary>
public enum PreflightLevel
{
    /// <summary>The job can never finish (or never start): it is refused before sbatch.</summary>
    Problem,
    /// <summary>The job may run, but something is risky or wasteful; it is submitted with a warning.</summary>
    Warning,
}
