namespace HpcLearn.Runs;

/// <summary>
/// One layout's checkpoints in a folder: <c>PREFIX-….ckpt</c> files in the <see cref="CheckpointContainer"/>
/// format, all with one magic. Each is written atomically (<see cref="AtomicFile"/>) and the newest
/// <see cref="Keep"/> are kept. Reading takes the newest valid file; each newer file skipped
/// (unreadable, truncated, checksum mismatch, another magic, an older format) is named in one warning
/// that says what it falls back to. Files are ordered by the numbers in their names, so
/// <c>epoch-0003-batch-00040</c> comes after <c>epoch-0003</c> and <c>step-1000000</c> after <c>step-999999</c>.
/// </summary>
public sealed class CheckpointFolder
{
    private bool _swept;

    /// <summary>Creates the store (the folder is created on the first save).</summary>
    /// <param name="folder">The run folder's checkpoint folder.</param>
    /// <param name="prefix">File names start with this and a dash (e.g. <c>step</c> for <c>step-000500.ckpt</c>).</param>
    /// <param name="magic">Eight ASCII characters starting HPCL that open every file of this layout (e.g. <c>HPCLTEXT</c>).</param>
    /// <param name="keep">How many of the newest files to keep.</param>
    public CheckpointFolder(string folder, string prefix, string magic, int keep)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        CheckpointContainer.MagicBytes(magic);
        Folder = folder;
        Prefix = prefix;
        Magic = magic;
        Keep = keep >= 1 ? keep : throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep at least one checkpoint");
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The file-name prefix.</summary>
    public string Prefix { get; }

    /// <summary>The layout's magic.</summary>
    public string Magic { get; }

    /// <summary>How many are kept.</summary>
    public int Keep { get; }

    /// <summary>This layout's checkpoint files, newest first (validity not checked; temporary files never listed).</summary>
    public IReadOnlyList<string> List() => Directory.Exists(Folder)
        ? NewestFirst(Directory.GetFiles(Folder, $"{Prefix}-*.ckpt"))
        : [];

    /// <summary>
    /// Writes <paramref name="blocks"/> atomically as <paramref name="fileName"/> and drops the oldest
    /// files beyond <see cref="Keep"/> (never the one just written); returns the path. The first save
    /// also removes temporary files that writers killed half-way left here (their process is gone),
    /// for a store used outside a run folder, whose opening sweeps them otherwise.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is not <c>PREFIX-….ckpt</c>.</exception>
    public string Save(string fileName, CheckpointBlocks blocks)
    {
        if (!fileName.StartsWith(Prefix + "-", StringComparison.Ordinal) || !fileName.EndsWith(".ckpt", StringComparison.Ordinal) || fileName != Path.GetFileName(fileName))
            throw new ArgumentException($"a checkpoint of this folder is named {Prefix}-….ckpt, not {fileName}", nameof(fileName));
        byte[] file = CheckpointContainer.Encode(Magic, blocks);
        if (!_swept)
        {
            AtomicFile.SweepOrphans(Folder);
            _swept = true;
        }
        string path = Path.Combine(Folder, fileName);
        AtomicFile.WriteAllBytes(path, file);
        foreach (var old in List().Where(p => p != path).Skip(Keep - 1)) File.Delete(old);
        return path;
    }

    /// <summary>
    /// The newest valid checkpoint and its blocks, or null when there is none. Each newer file
    /// skipped is named through <paramref name="warn"/>, once, with what it falls back to:
    /// <c>checkpoint PATH is WHY; falling back to NAME</c>.
    /// </summary>
    /// <exception cref="UserError">A file newer than the one taken is of a newer format version.</exception>
    public (string Path, CheckpointBlocks Blocks)? Latest(Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(warn);
        var skipped = new List<(string Path, string Why)>();
        foreach (var path in List())
        {
            if (!CheckpointContainer.TryRead(path, Magic, out var blocks, out var why))
            {
                skipped.Add((path, why));
                continue;
            }
            Warn(skipped, Path.GetFileName(path), warn);
            return (path, blocks);
        }
        Warn(skipped, null, warn);
        return null;
    }

    /// <summary>The warnings for <paramref name="skipped"/> files, falling back to <paramref name="taken"/> (null: none left).</summary>
    internal static void Warn(IEnumerable<(string Path, string Why)> skipped, string? taken, Action<string> warn)
    {
        foreach (var (path, why) in skipped)
            warn($"checkpoint {path} is {why}; " + (taken is null ? "no older valid checkpoint to fall back to" : $"falling back to {taken}"));
    }

    /// <summary>
    /// <paramref name="paths"/> newest first: by the numbers in the file names, compared as numbers
    /// left to right, a name with more numbers after equal ones being newer (a mid-epoch file after
    /// its epoch's); then by name.
    /// </summary>
    public static IReadOnlyList<string> NewestFirst(IEnumerable<string> paths)
        => paths.Select(p => (Path: p, Key: Numbers(Path.GetFileName(p))))
            .OrderByDescending(x => x.Key, Comparer<string[]>.Create(Compare))
            .ThenByDescending(x => Path.GetFileName(x.Path), StringComparer.Ordinal)
            .Select(x => x.Path).ToList();

    private static string[] Numbers(string name)
        => System.Text.RegularExpressions.Regex.Matches(name, "[0-9]+").Select(m => m.Value.TrimStart('0')).ToArray();

    private static int Compare(string[] a, string[] b)
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            // Leading zeros are gone: a longer run of digits is the larger number.
            int c = a[i].Length != b[i].Length ? a[i].Length.CompareTo(b[i].Length) : string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }
}
