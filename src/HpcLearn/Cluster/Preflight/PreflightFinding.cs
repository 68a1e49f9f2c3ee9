namespace HpcLearn.Cluster.Preflight;

/// <summary>One finding of the pre-flight check: a problem (refused) or a warning, as one line naming the key or flag.</summary>
/// <param name="Level">Problem or warning.</param>
/// <param name="Message">What is wrong and what to change, one line, without the <c>error:</c>/<c>warning:</c> prefix.</param>
public sealed record PreflightFinding(PreflightLevel Level, string Message)
{
    /// <summary>A finding that refuses the job.</summary>
    public static PreflightFinding Problem(string message) => new(PreflightLevel.Problem, message);

    /// <summary>A finding that only warns.</summary>
    public static PreflightFinding Warning(string message) => new(PreflightLevel.Warning, message);

    /// <summary>Whether it refuses the job.</summary>
    public bool IsProblem => Level == PreflightLevel.Problem;
}
