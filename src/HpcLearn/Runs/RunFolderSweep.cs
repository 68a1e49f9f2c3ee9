namespace HpcLearn.Runs;

/// <summary>
/// Removes what writers killed half-way left in a run folder, once its lock is held (so no live
/// train writes there): <see cref="AtomicFile"/>'s temporary files whose process is gone or is this
/// one (a process id reused after a restart), and <c>model.tmp-*</c> folders of
/// <see cref="ModelArtifact.Save"/>. A <c>model.old-*</c> folder is the previous model when a
/// replacement was cut between its two renames: it is put back when <c>model/</c> is missing.
/// Earlier attempts kept in <c>attempt-failed-*</c> are left as they are.
/// </summary>
internal static class RunFolderSweep
{
    public static void Run(string root, TextWriter log)
    {
        int files = 0;
        long bytes = 0;
        foreach (var path in Directory.EnumerateFiles(root, ".*.tmp", SearchOption.AllDirectories))
        {
            if (Path.GetRelativePath(root, path).StartsWith(RunFolder.AttemptPrefix, StringComparison.Ordinal)) continue;
            if (!AtomicFile.IsTemporary(Path.GetFileName(path), out int pid) || (pid != Environment.ProcessId && AtomicFile.IsAlive(pid))) continue;
            bytes += new FileInfo(path).Length;
            WriteFailure.Guard(path, () => File.Delete(path));
            files++;
        }
        string model = Path.Combine(root, "model");
        foreach (var dir in Directory.GetDirectories(root, "model.tmp-*"))
        {
            bytes += Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            WriteFailure.Guard(dir, () => Directory.Delete(dir, recursive: true));
            files++;
        }
        foreach (var old in Directory.GetDirectories(root, "model.old-*").OrderByDescending(Directory.GetLastWriteTimeUtc))
        {
            if (!Directory.Exists(model))
            {
                WriteFailure.Guard(model, () => Directory.Move(old, model));
                log.WriteLine($"restored {model} from {old}, left by a model replacement that was cut short");
            }
            else
            {
                bytes += Directory.EnumerateFiles(old, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
                WriteFailure.Guard(old, () => Directory.Delete(old, recursive: true));
                files++;
            }
        }
        if (files > 0)
            log.WriteLine($"removed {files} temporary file{(files > 1 ? "s" : "")} ({bytes / 1e6:F1} MB) left in {root} by an earlier run that was cut short");
    }
}
