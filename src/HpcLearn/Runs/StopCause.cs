namespace HpcLearn.Runs;

/// <summary>Why a <see cref="RunStop"/> stopped a run.</summary>
public enum StopCause
{
    /// <summary>It did not.</summary>
    None,
    /// <summary>A stop signal arrived (USR1, TERM, ...).</summary>
    Signal,
    /// <summary>The job's end time, minus the margin, was reached or would be within the next epoch.</summary>
    Deadline,
    /// <summary>The run's wall-time budget (<c>train.max_time</c>) was used up.</summary>
    Budget,
    /// <summary>The caller cancelled the token (the C# API's stop).</summary>
    Cancelled,
}
