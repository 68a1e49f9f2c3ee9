namespace HpcLearn.Data;

/// <summary>
/// Checks shared by the file loaders, so every loader words a missing file or a quoted bad
/// value the same way.
/// </summary>
internal static class DataFile
{
    /// <summary>Throws a <see cref="UserError"/> unless <paramref name="path"/> is an existing file.</summary>
    public static void EnsureExists(string path)
    {
        if (Directory.Exists(path))
            throw new UserError($"data file '{path}' is a directory, not a file");
        if (!File.Exists(path))
            throw new UserError($"data file '{path}' not found");
    }

    /// <summary>
    /// Opens the file for reading, turning an access or I/O failure into a <see cref="UserError"/>
    /// (permissions on shared cluster filesystems are a common cause).
    /// </summary>
    public static FileStream Open(string path)
    {
        EnsureExists(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot read data file '{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// A value as it may appear inside a one-line error message: line breaks shown as \n
    /// and long values cut, because the CLI prints the message on a single line.
    /// </summary>
    public static string Snippet(string value)
    {
        const int max = 40;
        var flat = value.Replace("\r", "\\r").Replace("\n", "\\n");
        return flat.Length <= max ? flat : flat[..max] + "...";
    }
}
