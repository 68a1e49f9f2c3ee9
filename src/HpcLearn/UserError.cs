namespace HpcLearn;

/// <summary>
/// A mistake the user can fix (bad config, missing file, malformed data, wrong input shape).
/// The CLI prints <see cref="Exception.Message"/> as one line and exits with code 2, no stack trace.
/// The message names the file, line or key and says what to do.
/// </summary>
public sealed class UserError : Exception
{
    /// <summary>Creates a user error with a one-line, actionable message.</summary>
    public UserError(string message) : base(message) { }

    /// <summary>Creates a user error that wraps the low-level cause (kept for debugging).</summary>
    public UserError(string message, Exception inner) : base(message, inner) { }
}
