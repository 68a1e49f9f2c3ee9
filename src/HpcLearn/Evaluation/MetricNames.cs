namespace HpcLearn.Evaluation;

/// <summary>
/// The keys of the metric dictionaries, so callers and configs spell them one way.
/// </summary>
public static class MetricNames
{
    /// <summary>Fraction of rows whose predicted class is the true class.</summary>
    public const string Accuracy = "accuracy";

    /// <summary>Unweighted mean of the per-class F1 scores.</summary>
    public const string MacroF1 = "macro_f1";

    /// <summary>Mean negative log-likelihood of the true class.</summary>
    public const string LogLoss = "log_loss";

    /// <summary>Root mean squared error.</summary>
    public const string Rmse = "rmse";

    /// <summary>Mean absolute error.</summary>
    public const string Mae = "mae";

    /// <summary>Coefficient of determination.</summary>
    public const string R2 = "r2";

    /// <summary>The training objective, whatever it is for the task.</summary>
    public const string Loss = "loss";
}
