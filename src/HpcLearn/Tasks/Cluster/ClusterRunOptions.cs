using System.Globalization;

namespace HpcLearn.Tasks.Cluster;

/// <summary>What <c>hpclearn cluster</c> does: see <see cref="ClusterRun"/>.</summary>
public sealed record ClusterRunOptions
{
    /// <summary>The CSV or JSON table.</summary>
    public required string DataPath { get; init; }
    /// <summary>Smallest k tried (default 8).</summary>
    public int KMin { get; init; } = 8;
    /// <summary>Largest k tried; above <see cref="KMin"/>, the k with the best silhouette is used.</summary>
    public int KMax { get; init; } = 8;
    /// <summary>Columns to cluster on (default: every numeric column but <see cref="LabelsColumn"/>).</summary>
    public IReadOnlyList<string>? Columns { get; init; }
    /// <summary>Scale each column to mean 0, standard deviation 1 before clustering (default false).</summary>
    public bool Standardize { get; init; }
    /// <summary>k-means restarts (default 3).</summary>
    public int NInit { get; init; } = 3;
    /// <summary>Random seed (default 42).</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Output folder (default <c>runs/cluster-&lt;file stem&gt;</c>); must be absent or empty.</summary>
    public string? OutDir { get; init; }
    /// <summary>A column of known labels: reported as ARI and NMI, never clustered on.</summary>
    public string? LabelsColumn { get; init; }
    /// <summary>Drop rows with missing values instead of refusing them (default false).</summary>
    public bool DropMissing { get; init; }
    /// <summary>Above this many points the silhouette is computed on a sample of this size (default 10,000).</summary>
    public int SilhouetteSample { get; init; } = 10_000;

    /// <summary>Parses <c>8</c> or <c>2..12</c> into (min, max).</summary>
    public static (int Min, int Max) ParseK(string text)
    {
        var parts = text.Split("..");
        bool ok = parts.Length is 1 or 2;
        var v = new int[parts.Length];
        for (int i = 0; ok && i < parts.Length; i++) ok = int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v[i]);
        if (!ok) throw new UserError($"--k '{text}' must be a whole number like 8 or a range like 2..12");
        int min = v[0], max = v[^1];
        if (min < 1) throw new UserError($"--k must be at least 1 (got {min})");
        if (max < min) throw new UserError($"--k range '{text}' is empty: write the smaller k first, e.g. {max}..{min}");
        if (max > min && min < 2) throw new UserError($"--k range '{text}' must start at 2 or more: the silhouette that chooses k needs at least two clusters");
        return (min, max);
    }

    /// <summary>The default output folder for <paramref name="dataPath"/>.</summary>
    public static string DefaultOutDir(string dataPath) => Path.Combine("runs", "cluster-" + Path.GetFileNameWithoutExtension(dataPath));
}
