using HpcLearn.Config;

namespace HpcLearn.Tasks.Tabular;

/// <summary>Kind of prediction.</summary>
public enum TabularKind
{
    /// <summary>Classification when the target is categorical, regression when numeric.</summary>
    Auto,
    /// <summary>Predict a class.</summary>
    Classification,
    /// <summary>Predict a number.</summary>
    Regression,
}

/// <summary>How to hold out validation rows.</summary>
public enum SplitKind
{
    /// <summary>Same class proportions in both splits (classification only; regression falls back to random).</summary>
    Stratified,
    /// <summary>A uniformly random subset.</summary>
    Random,
}

/// <summary>The <c>data:</c> section of a tabular config.</summary>
public sealed record TabularDataOptions : IValidatable
{
    /// <summary>CSV or JSON-records file. Null uses the <see cref="Builtin"/> data set.</summary>
    public string? Path { get; init; }

    /// <summary>Built-in data when no path is given: <c>churn</c> (classification) or <c>spend</c> (regression). Default churn.</summary>
    public string Builtin { get; init; } = "churn";

    /// <summary>Rows of built-in data. Default 5000.</summary>
    public int BuiltinRows { get; init; } = 5000;

    /// <summary>Column to predict. Required with <see cref="Path"/>; the built-in data sets know theirs (churn, spend).</summary>
    public string? Target { get; init; }

    /// <summary>The target column: <see cref="Target"/>, or the built-in data set's.</summary>
    public string TargetColumn => Target ?? (Path is null ? (Builtin == "spend" ? "spend" : "churn") : "");

    /// <summary>
    /// Classification, regression or auto (from the target's type: text is classification, numbers
    /// regression; a numeric target of a few whole numbers gets a warning). Default auto.
    /// </summary>
    public TabularKind Kind { get; init; } = TabularKind.Auto;

    /// <summary>Columns to force numeric.</summary>
    public List<string> Numeric { get; init; } = new();

    /// <summary>Columns to force categorical (e.g. numeric codes).</summary>
    public List<string> Categorical { get; init; } = new();

    /// <summary>Columns to leave out of the features (ids, leaks).</summary>
    public List<string> Ignore { get; init; } = new();

    /// <summary>A column whose groups get per-group metrics (kept as a feature unless ignored).</summary>
    public string? Group { get; init; }

    /// <summary>
    /// A separate test file with the same columns (CSV or JSON records): the final metrics are
    /// measured on it, after training; validation rows still come from <see cref="Path"/> only, so the
    /// test rows never steer training. Default none.
    /// </summary>
    public string? TestPath { get; init; }

    /// <summary>Share of the rows of <see cref="Path"/> held out for validation; 0 (train on every row) needs <see cref="TestPath"/>. Default 0.2.</summary>
    public double ValidFraction { get; init; } = 0.2;

    /// <summary>How validation rows are chosen. Default stratified.</summary>
    public SplitKind Split { get; init; } = SplitKind.Stratified;

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ValidFraction is < 0 or >= 1) yield return ("valid_fraction", "must be at least 0 and below 1");
        else if (ValidFraction == 0 && TestPath is null) yield return ("valid_fraction", "0 leaves no rows to measure the model on: set data.test_path to a test file, or a fraction such as 0.2");
        if (TestPath is not null && Path is null) yield return ("test_path", "needs data.path (the training file) beside it");
        if (Path is not null && string.IsNullOrWhiteSpace(Target)) yield return ("target", "must name the column to predict when data.path is set");
        if (Path is null && Builtin is not ("churn" or "spend")) yield return ("builtin", "must be churn or spend (or set data.path to your own file)");
        if (BuiltinRows < 50) yield return ("builtin_rows", "must be at least 50");
    }
}
