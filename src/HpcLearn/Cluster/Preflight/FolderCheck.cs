using System.Globalization;

namespace HpcLearn.Cluster.Preflight;

/// <summary>
/// What the job reads must be readable, and where it writes must be writable with room for its
/// checkpoints: a job that fails on its first file access wastes its time in the queue.
/// </summary>
internal static class FolderCheck
{
    public static IEnumerable<PreflightFinding> Run(PreflightPlan plan)
    {
        foreach (var (key, path) in plan.Inputs)
            if (Input(plan.WorkDirectory, key, path) is { } f) yield return f;
        foreach (var f in Output(plan)) yield return f;
    }

    private static PreflightFinding? Input(string workDirectory, string key, string path)
    {
        string full = Path.GetFullPath(path, workDirectory);
        try
        {
            if (File.Exists(full))
            {
                using var _ = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                return null;
            }
            if (Directory.Exists(full))
            {
                _ = Directory.EnumerateFileSystemEntries(full).Any();
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PreflightFinding.Problem($"{key}: cannot read '{path}': {Reason(e)}; the job would stop at once");
        }
        string where = Path.IsPathRooted(path) ? "" : $" (relative to {workDirectory}, where the job starts)";
        return PreflightFinding.Problem($"{key}: '{path}' not found{where}; the job would stop at once");
    }

    private static IEnumerable<PreflightFinding> Output(PreflightPlan plan)
    {
        string folder = Path.GetFullPath(plan.OutputFolder, plan.WorkDirectory);
        // The nearest folder that exists is where the job creates the rest.
        string? existing = folder;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                yield return PreflightFinding.Problem($"{plan.OutputName}: the output folder '{folder}' cannot be made: '{existing}' is a file; choose another {plan.OutputName}");
                yield break;
            }
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) yield break;
        // Creating a file is the only test that holds for root, ACLs and read-only mounts alike; it is removed on close.
        string probe = Path.Combine(existing, $".hpclearn-doctor-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        string? refused = null;
        try
        {
            using var _ = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            refused = Reason(e);
        }
        if (refused is not null)
        {
            yield return PreflightFinding.Problem($"{plan.OutputName}: the output folder '{folder}' is not writable: cannot create a file in '{existing}' ({refused}); choose another {plan.OutputName}");
            yield break;
        }
        if (plan.FreeBytes(existing) is not { } free) yield break;
        if (plan.CheckpointBytes is { } each)
        {
            // The kept checkpoints, the one being written beside them, and the model.
            long need = (plan.KeepCheckpoints + 2) * each;
            if (free < need)
                yield return PreflightFinding.Problem($"{plan.OutputName}: only {Size(free)} free under '{existing}', but the run's checkpoints need about {Size(need)} " +
                    $"({plan.KeepCheckpoints} kept, one being written and the model, {Size(each)} each); free some space or choose another {plan.OutputName}");
        }
        else if (free < PreflightPlan.SpaceFloorBytes)
            yield return PreflightFinding.Warning($"{plan.OutputName}: only {Size(free)} free under '{existing}'; checkpoints and the model may not fit " +
                $"(no checkpoint to measure yet; hpclearn expects at least {Size(PreflightPlan.SpaceFloorBytes)})");
    }

    // The cause in words, without .NET's message (which names the probe file, not the user's folder).
    private static string Reason(Exception e)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        if (e is DirectoryNotFoundException or FileNotFoundException) return "the file system takes no new files there";
        int errno = (e.HResult & unchecked((int)0xFFFF0000)) == unchecked((int)0x80070000) ? e.HResult & 0xFFFF : e.HResult;
        return errno switch
        {
            1 or 13 => "permission denied",
            28 => "no space left on device",
            30 => "read-only file system",
            122 => "disk quota exceeded",
            _ => $"the file system refused it (error {errno})",
        };
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
