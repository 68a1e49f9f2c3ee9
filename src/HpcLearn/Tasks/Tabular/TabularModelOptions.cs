using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Tasks.Tabular;

/// <summary>The <c>model:</c> section: an MLP over numeric features and categorical embeddings.</summary>
public sealed record TabularModelOptions : IValidatable
{
    /// <summary>Hidden layer widths. Default [200, 100] (fastai's tabular default).</summary>
    public List<int> Layers { get; init; } = [200, 100];

    /// <summary>Dropout after each hidden layer. Default 0.1.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Largest embedding width for a categorical column. Default 50.</summary>
    public int MaxEmbedding { get; init; } = 50;

    /// <summary>
    /// A linear path beside the MLP: output = MLP(x) + a linear function of the numeric features and
    /// one-hot categories. A regression starts it at the ridge fit of the training rows (penalty by
    /// generalised cross-validation) with the MLP's last layer at zero, and keeps the epoch with the
    /// lowest validation loss, the ridge start included; a classifier starts it at zero.
    /// null (default) means on for regression, off for classification.
    /// </summary>
    public bool? LinearSkip { get; init; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Layers.Count == 0 || Layers.Any(l => l < 1)) yield return ("layers", "must list at least one positive width, e.g. [200, 100]");
        else if (Layers.Count > ArchitectureCheck.MaxDepth || Layers.Any(l => l > ArchitectureCheck.MaxWidth))
            yield return ("layers", $"must list at most {ArchitectureCheck.MaxDepth:N0} widths of at most {ArchitectureCheck.MaxWidth:N0}");
        if (Dropout is < 0 or >= 1) yield return ("dropout", "must be in [0, 1)");
        if (MaxEmbedding is < 1 or > ArchitectureCheck.MaxWidth) yield return ("max_embedding", $"must be from 1 to {ArchitectureCheck.MaxWidth:N0}");
    }
}
