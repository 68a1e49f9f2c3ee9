namespace HpcLearn.Runs;

/// <summary>
/// Whether a run's <c>checkpoints/</c> folder holds a checkpoint a resume can start from, whatever
/// task wrote it: every HpcLearn checkpoint (the Learner's <c>epoch-*</c>, the text and PDE tasks'
/// <c>step-*</c>, the games task's <c>iter-*</c>) is a <see cref="CheckpointContainer"/> file, whose
/// magic names its layout. This is how <c>--resume-if-possible</c> decides between continuing and
/// starting again before any task code runs; the task's own restore then reads its layout's blocks.
/// </summary>
public static class CheckpointProbe
{
    /// <summary>
    /// The newest intact checkpoint in <paramref name="folder"/> (by the numbers in its name), or
    /// null; each damaged file looked at before it is described through <paramref name="damaged"/>
    /// (<c>checkpoint PATH is WHY; falling back to NAME</c>, as the tasks' restores say it).
    /// </summary>
    /// <exception cref="UserError">A file newer than the one found is of a newer checkpoint format.</exception>
    public static string? FindValid(string folder, Action<string> damaged)
    {
        ArgumentNullException.ThrowIfNull(damaged);
        if (!Directory.Exists(folder)) return null;
        var skipped = new List<(string Path, string Why)>();
        foreach (var path in CheckpointFolder.NewestFirst(Directory.GetFiles(folder, "*.ckpt")))
        {
            if (Problem(path) is not { } why)
            {
                CheckpointFolder.Warn(skipped, Path.GetFileName(path), damaged);
                return path;
            }
            skipped.Add((path, why));
        }
        CheckpointFolder.Warn(skipped, null, damaged);
        return null;
    }

    /// <summary>What is wrong with the checkpoint file at <paramref name="path"/>, or null when it is intact.</summary>
    /// <exception cref="UserError">The file is of a newer checkpoint format.</exception>
    public static string? Problem(string path)
        => CheckpointContainer.TryRead(path, magic: null, out _, out var why) ? null : why;
}
