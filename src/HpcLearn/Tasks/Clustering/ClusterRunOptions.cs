using System.Globalization;

namespace HpcLearn.Tasks.Clustering;

/// <summary>What a clustering run does (made from a <see cref="ClusterConfig"/> by <see cref="ClusterTask"/>): see <see cref="ClusterRun"/>.</summary>
public sealed record ClusterRunOptions
{
    /// <summary>The CSV or JSON table.</summary>
    public required string DataPath { get; init; }
    /// <summary>The algorithm (default k-means).</summary>
    public ClusterAlgorithm Algorithm { get; init; } = ClusterAlgorithm.KMeans;
    /// <summary>Covariance shape of a Gaussian mixture (default full, as scikit-learn).</summary>
    public CovarianceType Covariance { get; init; } = CovarianceType.Full;
    /// <summary>DBSCAN's neighbourhood radius, in the space clustered (standardised units with <see cref="Standardize"/>); default 0.5.</summary>
    public double Eps { get; init; } = 0.5;
    /// <summary>DBSCAN's points within eps (itself included) that make a core point (default 5).</summary>
    public int MinSamples { get; init; } = 5;
    /// <summary>Smallest k tried (default 8).</summary>
    public int KMin { get; init; } = 8;
    /// <summary>Largest k tried; above <see cref="KMin"/>, the k with the best silhouette (k-means) or lowest BIC (Gaussian mixture) is used.</summary>
    public int KMax { get; init; } = 8;
    /// <summary>Columns to cluster on (default: every numeric column but <see cref="LabelsColumn"/>).</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>Scale each column to mean 0, standard deviation 1 before clustering (default false).</summary>
    public bool Standardize { get; init; }
    /// <summary>k-means or Gaussian mixture restarts (default 3).</summary>
    public int NInit { get; init; } = 3;
    /// <summary>Random seed (default 42).</summary>
    public int Seed { get; init; } = 42;
    /// <summary>A column of known labels: reported as ARI and NMI, never clustered on.</summary>
    public string? LabelsColumn { get; init; }
    /// <summary>Drop rows with missing values instead of refusing them (default false).</summary>
    public bool DropMissing { get; init; }
    /// <summary>k-means with Elkan's triangle-inequality bounds (the same clustering, fewer distances; default false).</summary>
    public bool Elkan { get; init; }
    /// <summary>Mini-batch k-means: points per batch (default 1024, as scikit-learn).</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>Mini-batch k-means: passes over the data (default 5).</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Worker threads of k-means on this process (default: every core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Mini-batch k-means on a file larger than memory: read in chunks of <see cref="ChunkRows"/> rows, never loaded whole (default false).</summary>
    public bool Stream { get; init; }
    /// <summary>Rows per chunk with <see cref="Stream"/> (default 65,536).</summary>
    public int ChunkRows { get; init; } = 65_536;
    /// <summary>Above this many points the silhouette is computed on a sample of this size (default 10,000).</summary>
    public int SilhouetteSample { get; init; } = 10_000;

    /// <summary>
    /// Asked between fits and inside the k-means loops (every Lloyd iteration, every chunk of
    /// mini-batch epochs): true stops the run early with the model reached. Null never stops.
    /// </summary>
    public Func<bool>? Stop { get; init; }

    /// <summary>Parses <c>8</c> or <c>2..12</c> into (min, max); a bad value is a <see cref="UserError"/> naming <paramref name="name"/>.</summary>
    public static (int Min, int Max) ParseK(string text, string name = "--k")
        => KProblem(text, out int min, out int max) is { } problem ? throw new UserError($"{name} {problem}") : (min, max);

    /// <summary>What is wrong with <paramref name="text"/> as a k or a k range (the message without the key), or null when it is one.</summary>
    public static string? KProblem(string text, out int min, out int max)
    {
        var parts = text.Split("..");
        bool ok = parts.Length is 1 or 2;
        var v = new int[parts.Length];
        for (int i = 0; ok && i < parts.Length; i++) ok = int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v[i]);
        (min, max) = ok ? (v[0], v[^1]) : (0, 0);
        if (!ok) return $"'{text}' must be a whole number like 8 or a range like 2..12";
        if (min < 1) return $"must be at least 1 (got {min})";
        if (max < min) return $"range '{text}' is empty: write the smaller k first, e.g. {max}..{min}";
        if (max > min && min < 2) return $"range '{text}' must start at 2 or more: the silhouette that chooses k needs at least two clusters";
        return null;
    }

    /// <summary>The default output folder for <paramref name="dataPath"/>.</summary>
    public static string DefaultOutDir(string dataPath) => Path.Combine("runs", "cluster-" + Path.GetFileNameWithoutExtension(dataPath));

    /// <summary>Parses <c>kmeans</c>, <c>minibatch</c>, <c>gmm</c> or <c>dbscan</c>.</summary>
    public static ClusterAlgorithm ParseAlgorithm(string text) => text.Trim().ToLowerInvariant() switch
    {
        "kmeans" or "k-means" => ClusterAlgorithm.KMeans,
        "minibatch" or "mini-batch" or "minibatch-kmeans" => ClusterAlgorithm.MiniBatchKMeans,
        "gmm" => ClusterAlgorithm.GaussianMixture,
        "dbscan" => ClusterAlgorithm.Dbscan,
        _ => throw new UserError($"--algorithm '{text}' is not one of kmeans, minibatch, gmm, dbscan"),
    };

    /// <summary>Parses <c>full</c>, <c>diag</c> or <c>spherical</c>.</summary>
    public static CovarianceType ParseCovariance(string text) => text.Trim().ToLowerInvariant() switch
    {
        "full" => CovarianceType.Full,
        "diag" or "diagonal" => CovarianceType.Diagonal,
        "spherical" => CovarianceType.Spherical,
        _ => throw new UserError($"--covariance '{text}' is not one of full, diag, spherical"),
    };
}
