using System.Text;

namespace HpcLearn.Runs;

/// <summary>
/// Writes files so that a reader (or a crash) never sees half of one: write a temporary file
/// in the same folder, flush it to disk, then rename it over the target. A write that fails
/// removes its temporary file and leaves the target as it was; a refusal by the file system
/// (disk full, read-only, a folder at the path) is a <see cref="UserError"/> naming the path
/// (see <see cref="WriteFailure"/>). Temporary files are named <c>.NAME.PID.GUID.tmp</c>, so a
/// file left by a killed process can be recognised and swept (<see cref="IsTemporary"/>).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The target.</param>
    /// <param name="bytes">The whole content.</param>
    /// <param name="durable">
    /// Flush the data to disk before the rename (default). False for files the run can write again
    /// from state that is kept durably (metrics.csv from a checkpoint's history): a reader still never
    /// sees half a file, but a power cut may leave the previous version. An fsync can take
    /// milliseconds on a busy local disk and more on a network file system, at every epoch.
    /// </param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool durable = true)
    {
        string full = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(full))
            throw new UserError($"cannot write '{path}': it is a folder, not a file; give a file name");
        string dir = Path.GetDirectoryName(full)!;
        WriteFailure.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            // The temporary file's failures (disk full, read-only) are reported as the target's. No
            // FileStream buffer: a buffer that could not be flushed would fail again on dispose.
            try
            {
                using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
                fs.Write(bytes);
                fs.Flush(flushToDisk: durable);
            }
            catch (Exception e) when (WriteFailure.Explain(path, e) is { } error) { throw error; }
            WriteFailure.Guard(path, () => File.Move(tmp, full, overwrite: true));
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Writes UTF-8 text to <paramref name="path"/> atomically (see <see cref="WriteAllBytes"/> for <paramref name="durable"/>).</summary>
    public static void WriteAllText(string path, string text, bool durable = true) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text), durable);

    /// <summary>
    /// Whether <paramref name="fileName"/> is a temporary file of this class, and the id of the
    /// process that wrote it.
    /// </summary>
    public static bool IsTemporary(string fileName, out int pid)
    {
        pid = 0;
        if (!fileName.StartsWith('.') || !fileName.EndsWith(".tmp", StringComparison.Ordinal)) return false;
        var parts = fileName[..^4].Split('.');
        // "", name parts..., pid, guid
        return parts.Length >= 4 && parts[^1].Length == 32 && parts[^1].All(Uri.IsHexDigit)
            && int.TryParse(parts[^2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pid);
    }

    /// <summary>
    /// Removes the temporary files directly in <paramref name="folder"/> whose writer is gone (killed
    /// half-way); returns how many. Files of live processes, this one included, are left: they may be
    /// writing now. <see cref="RunFolderSweep"/> does the same for a whole run folder under its lock.
    /// </summary>
    public static int SweepOrphans(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        int removed = 0;
        foreach (var path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (!IsTemporary(Path.GetFileName(path), out int pid) || pid == Environment.ProcessId || IsAlive(pid)) continue;
            TryDelete(path);
            removed++;
        }
        return removed;
    }

    /// <summary>Whether process <paramref name="pid"/> is running (the writer of a temporary file).</summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    // Best effort: the write's own error is the one to report.
    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
