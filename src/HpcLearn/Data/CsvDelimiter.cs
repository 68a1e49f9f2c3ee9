namespace HpcLearn.Data;

/// <summary>Guesses a delimited file's delimiter from its header line.</summary>
internal static class CsvDelimiter
{
    private static readonly char[] Candidates = [',', ';', '\t'];

    /// <summary>
    /// The candidate that occurs most often outside quotes; comma on a tie or when none occurs
    /// (a one-column file). The header is used because names rarely hold delimiters, while data
    /// fields (decimal commas, free text) often do.
    /// </summary>
    public static char Detect(string headerLine)
    {
        Span<int> counts = stackalloc int[Candidates.Length];
        var quoted = false;
        foreach (var c in headerLine)
        {
            if (c == '"') { quoted = !quoted; continue; }
            if (quoted) continue;
            var k = Array.IndexOf(Candidates, c);
            if (k >= 0) counts[k]++;
        }
        var best = 0;
        for (var k = 1; k < Candidates.Length; k++)
            if (counts[k] > counts[best]) best = k;
        return Candidates[best];
    }

    /// <summary>Characters of the header line that <see cref="FirstLine"/> reads at most: plenty to count delimiters.</summary>
    private const int MaxHeaderChars = 1 << 20;

    /// <summary>
    /// The first non-blank line of the file (its first <see cref="MaxHeaderChars"/> characters),
    /// or "" when there is none. Bounded, because a file with no line break (or a stream) would
    /// otherwise be read whole just to guess its delimiter.
    /// </summary>
    public static string FirstLine(string path)
    {
        using var reader = new StreamReader(DataFile.Open(path));
        var line = new System.Text.StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0 && line.Length < MaxHeaderChars)
        {
            if (c is '\n' or '\r')
            {
                if (line.ToString().Trim().Length > 0) break;
                line.Clear();
                continue;
            }
            line.Append((char)c);
        }
        return line.ToString();
    }
}
