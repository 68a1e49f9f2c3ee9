using System.Text;

namespace HpcLearn.Tasks.Text;

/// <summary>
/// The raw text of a run: one file, or the files of a folder (recursively, sorted by path,
/// hidden files and folders skipped) one after another. Refuses a missing path, an empty text,
/// and, where characters are needed, bytes that are not UTF-8 text, each with the reason.
/// </summary>
public sealed class TextSource
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private TextSource(string name, IReadOnlyList<(string Path, byte[] Bytes)> files)
    {
        Name = name;
        Files = files;
    }

    /// <summary>What the text is, for messages (the path, or the built-in corpus).</summary>
    public string Name { get; }

    /// <summary>The files and their bytes, in reading order.</summary>
    public IReadOnlyList<(string Path, byte[] Bytes)> Files { get; }

    /// <summary>All bytes, in reading order.</summary>
    public byte[] Bytes() => Files.SelectMany(f => f.Bytes).ToArray();

    /// <summary>A source over text made in memory (the built-in corpus, tests).</summary>
    public static TextSource FromText(string name, string text) => new(name, [(name, Encoding.UTF8.GetBytes(text))]);

    /// <summary>Reads <paramref name="path"/>: a file or a folder of files.</summary>
    public static TextSource Read(string path)
    {
        string[] paths;
        if (File.Exists(path)) paths = [path];
        else if (Directory.Exists(path))
        {
            paths = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(p => !Path.GetRelativePath(path, p).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .OrderBy(p => p, StringComparer.Ordinal).ToArray();
            if (paths.Length == 0) throw new UserError($"data.path '{path}' is a folder with no files in it; put text files there or point data.path at a file");
        }
        else throw new UserError($"data.path '{path}' not found; point it at a UTF-8 text file or a folder of them (or remove it to use the built-in corpus)");
        var files = paths.Select(p => (p, File.ReadAllBytes(p))).ToList();
        if (files.All(f => f.Item2.Length == 0))
            throw new UserError($"data.path '{path}' is empty (0 bytes); point it at a file with text in it");
        return new TextSource(path, files);
    }

    /// <summary>
    /// The text as characters. Each file must be UTF-8 without NUL characters (a byte-order mark
    /// at its start is dropped); otherwise a <see cref="UserError"/> names the file and offset.
    /// </summary>
    public string Text()
    {
        var sb = new StringBuilder();
        foreach (var (path, bytes) in Files)
        {
            int skip = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
            string text;
            try { text = Strict.GetString(bytes, skip, bytes.Length - skip); }
            catch (DecoderFallbackException e)
            {
                string at = e.Index >= 0 ? $" at byte offset {e.Index + skip}" : "";
                throw new UserError($"{path}: not UTF-8 text (invalid UTF-8{at}); character tokens need UTF-8 text; set data.tokenizer: byte to train on any bytes", e);
            }
            int nul = text.IndexOf('\0');
            if (nul >= 0)
                throw new UserError($"{path}: looks binary (a NUL character at character {nul}); character tokens need UTF-8 text; set data.tokenizer: byte to train on any bytes");
            sb.Append(text);
        }
        return sb.ToString();
    }
}
