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

    /// <summary>The first non-blank line of the file, or "" when there is none.</summary>
    public static string FirstLine(string path)
    {
        using var reader = new StreamReader(DataFile.Open(path));
        while (reader.ReadLine() is { } line)
            if (line.Trim().Length > 0) return line;
        return "";
    }
}
