using System.Security.Cryptography;

namespace HpcLearn.Runs;

/// <summary>
/// Whether a run's <c>checkpoints/</c> folder holds a checkpoint a resume can start from, whatever
/// the task wrote it. Every HpcLearn checkpoint (<see cref="HpcLearn.Training.CheckpointStore"/>'s <c>epoch-*</c>,
/// <see cref="StepCheckpoints"/>' <c>step-*</c>, the games task's <c>iter-*</c>) opens with an
/// 8-byte magic starting <c>HPCL</c> and carries the SHA-256 of its body: right after the magic,
/// or after the 4-byte format version for <see cref="HpcLearn.Training.CheckpointStore"/>'s <c>HPCLCKPT</c>. This is
/// how <c>--resume-if-possible</c> decides between continuing and starting again before any task
/// code runs; the task's own restore still does the full check.
/// </summary>
public static class CheckpointProbe
{
    private const int Sha = 32;

    /// <summary>
    /// The newest intact checkpoint in <paramref name="folder"/> (by name), or null; each damaged
    /// file looked at before it is described through <paramref name="damaged"/>
    /// (<c>checkpoint PATH is WHY; skipping it</c>, as the tasks' restores say it).
    /// </summary>
    public static string? FindValid(string folder, Action<string> damaged)
    {
        ArgumentNullException.ThrowIfNull(damaged);
        if (!Directory.Exists(folder)) return null;
        foreach (var path in Directory.GetFiles(folder, "*.ckpt").OrderByDescending(Path.GetFileName, StringComparer.Ordinal))
        {
            if (Problem(path) is not { } why) return path;
            damaged($"checkpoint {path} is {why}; skipping it");
        }
        return null;
    }

    /// <summary>What is wrong with the checkpoint file at <paramref name="path"/>, or null when it is intact.</summary>
    public static string? Problem(string path)
    {
        byte[] all;
        try { all = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"unreadable ({e.Message})"; }
        if (all.Length < 8 + Sha || !all.AsSpan(0, 4).SequenceEqual("HPCL"u8)) return "not an HpcLearn checkpoint or truncated";
        int shaAt = all.AsSpan(0, 8).SequenceEqual("HPCLCKPT"u8) ? 8 + 4 : 8;
        if (all.Length < shaAt + Sha) return "not an HpcLearn checkpoint or truncated";
        return SHA256.HashData(all.AsSpan(shaAt + Sha)).AsSpan().SequenceEqual(all.AsSpan(shaAt, Sha))
            ? null : "corrupted or truncated (checksum mismatch)";
    }
}
