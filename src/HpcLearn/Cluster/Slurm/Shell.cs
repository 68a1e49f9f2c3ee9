namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// Quoting for the bash scripts hpclearn writes, and the checks that keep a value from becoming a
/// command. Inside single quotes bash gives no character a meaning (no expansion, no escapes, no
/// comment), so a word single-quoted with each <c>'</c> written as <c>'\''</c> is read back as
/// exactly itself. What single quotes cannot hold safely are control characters: NUL cannot be in a
/// script at all, and a line break inside a value that lands in a comment or an <c>#SBATCH</c>
/// line ends that line and starts a command. So every value that reaches a script is first
/// checked with <see cref="CheckValue"/>, and comment text goes through <see cref="Comment"/>.
/// </summary>
public static class Shell
{
    /// <summary><paramref name="word"/> as one bash word: unchanged when it is plain, else single-quoted.</summary>
    /// <exception cref="ArgumentException">The word holds a NUL, which no bash word can hold.</exception>
    public static string Quote(string word)
    {
        if (word.Contains('\0')) throw new ArgumentException("a shell word cannot hold a NUL character", nameof(word));
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c))) return word;
        return "'" + word.Replace("'", "'\\''") + "'";
    }

    /// <summary>Words as a bash command line.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    /// <summary>Whether <paramref name="value"/> holds a control character (line breaks, tab, NUL, escape, DEL, C1).</summary>
    public static bool HasControl(string value) => value.Any(char.IsControl);

    /// <summary>
    /// Refuses a value that holds a control character: it cannot be written into a job script line
    /// safely (a line break would end a comment or <c>#SBATCH</c> line and start a command).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="what">What it is, for the message: a config key (<c>cluster.partition</c>) or a flag.</param>
    /// <exception cref="UserError">The value holds a control character.</exception>
    public static void CheckValue(string value, string what)
    {
        int at = value.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (at < 0) at = value.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        if (at >= 0)
            throw new UserError($"{what}: the value holds a control character ({Describe(value[at])}) at position {at + 1}, which a job script cannot hold safely; remove it");
    }

    /// <summary>Text for a comment line: every control character shown as <c>?</c>, so the comment stays one line.</summary>
    public static string Comment(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));

    private static string Describe(char c) => c switch
    {
        '\n' => "a line break",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\0' => "NUL",
        _ => $"U+{(int)c:X4}",
    };
}
