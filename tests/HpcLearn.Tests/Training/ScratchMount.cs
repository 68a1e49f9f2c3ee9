using Xunit;
using System.Diagnostics;
using Xunit.Abstractions;

using HpcLearn.Runs;

namespace HpcLearn.Tests.Training;

/// <summary>
/// A small tmpfs mounted on a fresh temporary folder, for disk-full (ENOSPC) and read-only (EROFS)
/// failures that a root user cannot get from file permissions. Needs root and <c>mount</c>; where
/// either is missing, <see cref="Tmpfs"/> prints that the test was skipped and returns null.
/// </summary>
internal sealed class ScratchMount : IDisposable
{
    private ScratchMount(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. <c>2m</c>), or returns null after printing why the test is skipped.</summary>
    public static ScratchMount? Tmpfs(string size, ITestOutputHelper output, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        string? why = !OperatingSystem.IsLinux() ? "not Linux"
            : !Environment.IsPrivilegedProcess ? "not root (mounting a tmpfs needs root)"
            : null;
        string dir = Directory.CreateTempSubdirectory("hpclearn-mount-").FullName;
        if (why is null && Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", dir) is { } failed) why = $"mount failed: {failed}";
        if (why is null) return new ScratchMount(dir);
        Directory.Delete(dir);
        string line = $"SKIPPED {test}: {why}; this disk-fault test did not run";
        output.WriteLine(line);
        Console.WriteLine(line);
        throw new SkipException(line);
    }

    /// <summary>Bytes still free.</summary>
    public long Free => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Fills the file system until only <paramref name="leave"/> bytes are free.</summary>
    public void Fill(long leave) => File.WriteAllBytes(System.IO.Path.Combine(Path, "filler"), new byte[Math.Max(0, Free - leave)]);

    /// <summary>Remounts read-only (what is written stays readable).</summary>
    public void MakeReadOnly()
    {
        if (Run("mount", "-o", "remount,ro", Path) is { } failed) throw new InvalidOperationException($"remount read-only failed: {failed}");
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }

    // Null on success, else the command's error output.
    private static string? Run(string program, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"{program} exit {p.ExitCode}: {err.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{program}: {e.Message}";
        }
    }
}
