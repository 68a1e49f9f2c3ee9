using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace HpcLearn.Runs;

/// <summary>
/// One input a run read, as it was when the run started: a file's size and SHA-256, or a folder's
/// file count, total size and one SHA-256 over its files (each file's relative path, size and
/// SHA-256, in ordinal order of the paths). <c>hpclearn rerun</c> refuses when it no longer matches.
/// </summary>
public sealed record InputFingerprint
{
    /// <summary>A file.</summary>
    public const string FileKind = "file";
    /// <summary>A folder (images, audio, IDX files): every file under it, recursively.</summary>
    public const string FolderKind = "folder";
    /// <summary>Nothing at the path when the run started (the run then failed loading it).</summary>
    public const string MissingKind = "missing";

    /// <summary>The config key that names it (<c>data.path</c>, <c>data.test_path</c>, <c>data.titles.path</c>).</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";

    /// <summary>The path as the config gives it (relative paths are relative to where the run started).</summary>
    [JsonPropertyName("path")] public string Path { get; init; } = "";

    /// <summary>The absolute path the run read.</summary>
    [JsonPropertyName("absolute_path")] public string AbsolutePath { get; init; } = "";

    /// <summary><see cref="FileKind"/>, <see cref="FolderKind"/> or <see cref="MissingKind"/>.</summary>
    [JsonPropertyName("kind")] public string Kind { get; init; } = FileKind;

    /// <summary>Bytes (a folder: of all its files).</summary>
    [JsonPropertyName("bytes")] public long Bytes { get; init; }

    /// <summary>Files in a folder; 1 for a file.</summary>
    [JsonPropertyName("files")] public int Files { get; init; }

    /// <summary>SHA-256 in lower-case hex (a folder: of its file list, see the type's summary).</summary>
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";

    /// <summary>
    /// The fingerprint of <paramref name="path"/> (named by <paramref name="key"/>) now. Reads every
    /// byte once, in 1 MiB chunks, and stops between chunks when <paramref name="stop"/> is cancelled.
    /// </summary>
    public static InputFingerprint Of(string key, string path, CancellationToken stop = default)
    {
        string full = System.IO.Path.GetFullPath(path);
        var record = new InputFingerprint { Key = key, Path = path, AbsolutePath = full };
        if (File.Exists(full))
        {
            var (bytes, sha) = HashFile(full, stop);
            return record with { Kind = FileKind, Bytes = bytes, Files = 1, Sha256 = sha };
        }
        if (!Directory.Exists(full)) return record with { Kind = MissingKind };
        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: System.IO.Path.GetRelativePath(full, f).Replace('\\', '/'), Full: f))
            .OrderBy(f => f.Relative, StringComparer.Ordinal).ToList();
        using var list = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        foreach (var (relative, file) in files)
        {
            var (bytes, sha) = HashFile(file, stop);
            total += bytes;
            list.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{relative}\t{bytes}\t{sha}\n")));
        }
        return record with { Kind = FolderKind, Bytes = total, Files = files.Count, Sha256 = Convert.ToHexStringLower(list.GetHashAndReset()) };
    }

    /// <summary>
    /// How <paramref name="now"/> (this input read again) differs from this record, as the middle of
    /// a one-line message, or null when it is the same data.
    /// </summary>
    public string? Difference(InputFingerprint now)
    {
        ArgumentNullException.ThrowIfNull(now);
        string what = Kind == FolderKind ? "data folder" : "data file";
        string where = $"{what} '{AbsolutePath}' ({Key})";
        if (now.Kind == MissingKind) return $"{where} is missing; the run read {Describe()} there";
        if (now.Kind != Kind) return $"{where} is a {now.Kind} now; the run read a {Kind} ({Describe()})";
        if (Kind == FolderKind && now.Files != Files) return $"{where} changed since the run: {Count(Files)} then, {Count(now.Files)} now";
        if (now.Bytes != Bytes) return $"{where} changed since the run: {Size(Bytes)} then, {Size(now.Bytes)} now";
        if (now.Sha256 != Sha256)
            return $"{where} changed since the run: same size ({Size(Bytes)}) but another SHA-256 ({Sha256[..12]}… then, {now.Sha256[..12]}… now)";
        return null;
    }

    /// <summary>Size, file count and short SHA-256, e.g. <c>1,234 bytes, sha256 3f2a…</c>.</summary>
    public string Describe() => Kind switch
    {
        MissingKind => "nothing",
        FolderKind => $"{Count(Files)}, {Size(Bytes)}, sha256 {Sha256[..12]}…",
        _ => $"{Size(Bytes)}, sha256 {Sha256[..12]}…",
    };

    private static string Count(int files) => files == 1 ? "1 file" : string.Create(CultureInfo.InvariantCulture, $"{files:N0} files");

    private static string Size(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static (long Bytes, string Sha256) HashFile(string path, CancellationToken stop)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        long bytes = 0;
        try
        {
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                stop.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, n);
                bytes += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (bytes, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
