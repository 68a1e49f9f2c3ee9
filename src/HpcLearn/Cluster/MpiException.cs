namespace HpcLearn.Cluster;

/// <summary>An MPI call returned an error; the message carries MPI's own error string.</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception for <paramref name="errorCode"/>.</summary>
    public MpiException(string message, int errorCode) : base(message) => ErrorCode = errorCode;

    /// <summary>The MPI error code.</summary>
    public int ErrorCode { get; }
}
