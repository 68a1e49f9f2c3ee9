namespace HpcLearn.Tasks.Tabular;

/// <summary>A numeric input: missing values are filled with the training median, then standardised.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Median">Training median (fill value).</param>
/// <param name="Mean">Training mean after filling.</param>
/// <param name="Std">Training standard deviation after filling (1 when constant).</param>
/// <param name="MissingIndicator">Whether a 0/1 "was missing" feature is added (training had missing values).</param>
public sealed record NumericFeature(string Name, double Median, double Mean, double Std, bool MissingIndicator);

/// <summary>A categorical input: index 0 is "missing or unseen", then <paramref name="Categories"/> in order.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Categories">Categories seen in training, sorted.</param>
/// <param name="EmbeddingSize">Width of its embedding.</param>
public sealed record CategoricalFeature(string Name, List<string> Categories, int EmbeddingSize);

/// <summary>What the model predicts.</summary>
/// <param name="Name">Target column.</param>
/// <param name="Kind">Classification or regression.</param>
/// <param name="Classes">Class labels in output order (classification).</param>
/// <param name="Mean">Training mean (regression; the model predicts standardised targets).</param>
/// <param name="Std">Training standard deviation (regression).</param>
public sealed record TabularTarget(string Name, TabularKind Kind, List<string> Classes, double Mean, double Std);

/// <summary>The input schema and preprocessing statistics, stored in model.json.</summary>
/// <param name="Numeric">Numeric features.</param>
/// <param name="Categorical">Categorical features.</param>
/// <param name="Target">The target.</param>
/// <param name="Passthrough">Columns that may appear in inputs without being features (target, ignored, group).</param>
public sealed record TabularSchema(List<NumericFeature> Numeric, List<CategoricalFeature> Categorical, TabularTarget Target, List<string> Passthrough)
{
    /// <summary>Width of the numeric input tensor (features plus missing indicators).</summary>
    public int NumericWidth => Numeric.Count + Numeric.Count(f => f.MissingIndicator);

    /// <summary>Number of model outputs.</summary>
    public int OutputSize => Target.Kind == TabularKind.Classification ? Target.Classes.Count : 1;

    /// <summary>All feature names, numeric then categorical.</summary>
    public IEnumerable<string> FeatureNames => Numeric.Select(f => f.Name).Concat(Categorical.Select(f => f.Name));
}
