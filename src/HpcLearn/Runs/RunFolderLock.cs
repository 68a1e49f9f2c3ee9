using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// The one writer of a run folder. <c>.lock</c> is held open with <see cref="FileShare.None"/> for
/// the lifetime of the run, which on Linux is an exclusive <c>flock</c>: the kernel releases it when
/// the process ends however it ends, and a second <c>train</c> on the same folder (in another process
/// or this one) is refused. Who holds it is written beside it in <c>.lock.holder</c> (process id,
/// host, start time), because a file under <c>flock</c> cannot be read by another .NET process;
/// the holder file is removed on release, the empty <c>.lock</c> stays (deleting a lock file lets two
/// processes lock two different files of the same name).
/// <para>
/// Stale locks: when the OS lock is free but a holder file is left, its writer ended without
/// releasing (killed, node lost). On this host that is checked: the process is gone or is another
/// process with the same id, and the lock is taken over with one warning; if that process is still
/// running, the file system did not enforce the lock (some network file systems ignore
/// <c>flock</c>), and the folder is refused as in use. On another host the process cannot be
/// checked; a free OS lock means stale on a shared file system that enforces <c>flock</c> across
/// hosts (NFSv4, Lustre and GPFS with flock enabled), so it is taken over with a warning. On one
/// that does not, two runs on different hosts cannot be told apart: give them different names.
/// </para>
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The file held locked.</summary>
    public const string FileName = ".lock";
    /// <summary>The file that says who holds the lock.</summary>
    public const string HolderFileName = ".lock.holder";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private FileStream? _stream;

    private RunFolderLock(string folder, FileStream stream) => (Folder, _stream) = (folder, stream);

    /// <summary>The locked folder.</summary>
    public string Folder { get; }

    /// <summary>Locks <paramref name="folder"/> (which must exist), or throws a <see cref="UserError"/> naming the holder.</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="log">Where the warning about a stale lock taken over goes.</param>
    /// <param name="clock">The clock of the start time written in the holder file.</param>
    public static RunFolderLock Acquire(string folder, TextWriter log, TimeProvider? clock = null)
        => TryAcquire(folder, log, out string? refusal, clock) ?? throw new UserError(refusal!);

    /// <summary>As <see cref="Acquire"/>, but returns null and the reason when another process holds the lock.</summary>
    public static RunFolderLock? TryAcquire(string folder, TextWriter log, out string? refusal, TimeProvider? clock = null)
    {
        refusal = null;
        string path = Path.Combine(folder, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            refusal = InUse(folder, ReadHolder(folder));
            return null;
        }
        catch (Exception e) when (WriteFailure.Explain(path, e, "cannot lock the run folder: cannot write") is { } error)
        {
            throw error;
        }
        try
        {
            var previous = ReadHolder(folder);
            if (previous is not null)
            {
                if (previous.Host == Environment.MachineName && IsRunning(previous))
                {
                    refusal = InUse(folder, previous);
                    stream.Dispose();
                    return null;
                }
                log.WriteLine(previous.Host == Environment.MachineName
                    ? $"warning: run folder '{folder}' was locked by pid {previous.Pid} on this host since {previous.Since}, which is no longer running; taking the lock over"
                    : $"warning: run folder '{folder}' was locked by pid {previous.Pid} on host {previous.Host} since {previous.Since}, which no longer holds the lock (it ended without releasing it); taking the lock over");
            }
            var self = Process.GetCurrentProcess();
            var holder = new Holder(Environment.ProcessId, Environment.MachineName,
                (clock ?? TimeProvider.System).GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
                self.StartTime.ToUniversalTime());
            AtomicFile.WriteAllText(Path.Combine(folder, HolderFileName), JsonSerializer.Serialize(holder, Json) + "\n");
            return new RunFolderLock(folder, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why <paramref name="folder"/> cannot be locked now (another process holds it), or null: a
    /// look that takes nothing and writes nothing, so a command can refuse before it loads data.
    /// </summary>
    public static string? InUse(string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            // An exclusive flock needs no write access, so this works on a read-only folder too.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return null;
        }
        catch (IOException e) when (IsHeldElsewhere(e)) { return InUse(folder, ReadHolder(folder)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // Acquire reports it
    }

    /// <summary>Releases the lock (the holder file first, then the OS lock).</summary>
    public void Dispose()
    {
        if (_stream is null) return;
        try { File.Delete(Path.Combine(Folder, HolderFileName)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a stale holder file is taken over next time
        _stream.Dispose();
        _stream = null;
    }

    private sealed record Holder(
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("host")] string Host,
        [property: JsonPropertyName("since")] string Since,
        [property: JsonPropertyName("process_start")] DateTime ProcessStart);

    // EWOULDBLOCK from flock on Linux (HResult is the errno), a sharing violation on Windows.
    private static bool IsHeldElsewhere(IOException e) => e.HResult == 11 || e.HResult == unchecked((int)0x80070020);

    private static string InUse(string folder, Holder? holder) => holder is null
        ? $"run folder '{folder}' is in use by another hpclearn process (it holds {FileName}); wait for it to finish or stop it"
        : $"run folder '{folder}' is in use by pid {holder.Pid} on host {holder.Host} since {holder.Since}; wait for it to finish or stop it";

    private static Holder? ReadHolder(string folder)
    {
        try { return JsonSerializer.Deserialize<Holder>(File.ReadAllText(Path.Combine(folder, HolderFileName)), Json); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException) { return null; }
    }

    // The holder's process is alive and is the same process (not a later one given the same id).
    private static bool IsRunning(Holder holder)
    {
        try
        {
            using var p = Process.GetProcessById(holder.Pid);
            return !p.HasExited && Math.Abs((p.StartTime.ToUniversalTime() - holder.ProcessStart).TotalSeconds) < 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
