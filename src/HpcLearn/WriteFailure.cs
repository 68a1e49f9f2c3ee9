namespace HpcLearn;

/// <summary>
/// Turns the file system's refusals of a write (disk full, read-only file system, permission
/// denied, a file where a folder should be or the reverse) into a <see cref="UserError"/> that
/// names the path and the cause: the world's state, not a bug, so one line and exit code 2.
/// Only the causes listed here are translated; any other exception passes through unchanged and
/// stays a bug with its stack trace.
/// </summary>
public static class WriteFailure
{
    // Linux errno values, which .NET on Unix puts in IOException.HResult for these failures.
    private const int EPERM = 1, EIO = 5, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EFBIG = 27,
        ENOSPC = 28, EROFS = 30, ENAMETOOLONG = 36, EDQUOT = 122;
    // Windows error codes (HRESULT 0x8007xxxx) for the same conditions.
    private const int WinDiskFull = 112, WinHandleDiskFull = 39, WinWriteProtect = 19;

    /// <summary>Runs <paramref name="write"/>, translating a refusal to write <paramref name="path"/>.</summary>
    public static void Guard(string path, Action write)
    {
        try { write(); }
        catch (Exception e) when (Explain(path, e) is { } error) { throw error; }
    }

    /// <summary>Runs <paramref name="write"/>, translating a refusal to write <paramref name="path"/>.</summary>
    public static T Guard<T>(string path, Func<T> write)
    {
        try { return write(); }
        catch (Exception e) when (Explain(path, e) is { } error) { throw error; }
    }

    /// <summary><see cref="Directory.CreateDirectory(string)"/>, with a refusal translated.</summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        try { return Directory.CreateDirectory(path); }
        catch (Exception e) when (Explain(path, e, "cannot create folder") is { } error) { throw error; }
    }

    /// <summary>
    /// The user error for <paramref name="e"/> raised while writing <paramref name="path"/>, or null
    /// when <paramref name="e"/> is not one of the refusals this class knows.
    /// </summary>
    public static UserError? Explain(string path, Exception e, string verb = "cannot write")
        => e is UserError ? null : Cause(path, e) is { } cause ? new UserError($"{verb} '{path}': {cause}", e) : null;

    /// <summary>
    /// The cause of a failure that cannot be a bug whatever the path (disk full, quota, read-only
    /// file system), found in <paramref name="e"/> or its inner exceptions; null otherwise. For the
    /// command line's last resort, where the path is not known.
    /// </summary>
    public static string? EnvironmentCause(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is IOException && Errno(x) is ENOSPC or EDQUOT or EROFS or WinDiskFull or WinHandleDiskFull or WinWriteProtect)
                return Cause("", x);
        return null;
    }

    private static int Errno(Exception e)
        => (e.HResult & unchecked((int)0xFFFF0000)) == unchecked((int)0x80070000) ? e.HResult & 0xFFFF : e.HResult;

    private static string? Cause(string path, Exception e)
    {
        switch (e)
        {
            case UnauthorizedAccessException:
                // .NET reports opening a folder for writing as "access denied".
                return Directory.Exists(path) ? "it is a folder, not a file" : "permission denied";
            case DirectoryNotFoundException:
                return FileOnTheWay(path) is { } file ? $"'{file}' is a file, not a folder" : null;
            case FileNotFoundException:
                return null;
            case IOException:
                return Errno(e) switch
                {
                    ENOSPC or WinDiskFull or WinHandleDiskFull => "no space left on device; free some space or write elsewhere",
                    EDQUOT => "disk quota exceeded; free some space or write elsewhere",
                    EROFS or WinWriteProtect => "read-only file system; write elsewhere",
                    EACCES or EPERM => "permission denied",
                    EISDIR => "it is a folder, not a file",
                    ENOTDIR or EEXIST => FileOnTheWay(path) is { } blocker ? $"'{blocker}' is a file, not a folder" : null,
                    EIO => "input/output error (a disk or network file system fault)",
                    EFBIG => "file too large for this file system",
                    ENAMETOOLONG => "file name too long",
                    _ => null,
                };
            default:
                return null;
        }
    }

    // The path itself or the nearest of its folders that exists as a file (creating a folder there fails).
    private static string? FileOnTheWay(string path)
    {
        if (path.Length == 0) return null;
        for (string? p = Path.GetFullPath(path); !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (File.Exists(p)) return p;
        return null;
    }
}
