namespace HpcLearn.Cluster.Slurm;

/// <summary>Quoting for the bash scripts hpclearn writes.</summary>
public static class Shell
{
    /// <summary><paramref name="word"/> as one bash word: unchanged when it is plain, else single-quoted.</summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "_./:=@%+,-".Contains(c))) return word;
        return "'" + word.Replace("'", "'\\''") + "'";
    }

    /// <summary>Words as a bash command line.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
