using HpcLearn.Runs;

namespace HpcLearn.Training.Callbacks;

/// <summary>Why a <see cref="DeadlineCallback"/> stopped a run.</summary>
public enum StopCause
{
    /// <summary>It did not.</summary>
    None,
    /// <summary>A stop signal arrived (USR1, TERM, ...).</summary>
    Signal,
    /// <summary>The job's end time, minus the margin, was reached or would be within the next epoch.</summary>
    Deadline,
}
