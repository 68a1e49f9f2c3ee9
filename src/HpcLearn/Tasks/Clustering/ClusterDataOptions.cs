using HpcLearn.Config;

namespace HpcLearn.Tasks.Clustering;

/// <summary>The <c>data:</c> section of a cluster config: which table, which columns, and how to read it.</summary>
public sealed record ClusterDataOptions : IValidatable
{
    /// <summary>CSV, TSV or JSON table whose numeric columns are clustered. Required.</summary>
    public string Path { get; init; } = "";

    /// <summary>Columns to cluster on. Default (empty): every numeric column but <see cref="Labels"/>.</summary>
    public List<string> Columns { get; init; } = new();

    /// <summary>A column of known labels: reported as ARI and NMI against the clusters, never clustered on.</summary>
    public string? Labels { get; init; }

    /// <summary>Scale each column to mean 0, standard deviation 1 first (constant columns become 0). Default false.</summary>
    public bool Standardize { get; init; }

    /// <summary>Drop rows with missing values instead of refusing the file. Default false.</summary>
    public bool DropMissing { get; init; }

    /// <summary>Read the CSV in chunks of <see cref="ChunkRows"/> rows instead of loading it, for data larger than memory (model.algorithm minibatch, one k; metrics and plot on a 10,000-row sample). Default false.</summary>
    public bool Stream { get; init; }

    /// <summary>Rows per chunk held in memory with <see cref="Stream"/> (points are shuffled within a chunk). Default 65536.</summary>
    public int ChunkRows { get; init; } = 65_536;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) yield return ("path", "must name the table to cluster (a CSV, TSV or JSON file)");
        if (ChunkRows < 1) yield return ("chunk_rows", $"must be at least 1 (got {ChunkRows})");
        if (Columns.Any(string.IsNullOrWhiteSpace)) yield return ("columns", "holds an empty column name");
    }
}
