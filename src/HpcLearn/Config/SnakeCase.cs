using System.Text;

namespace HpcLearn.Config;

/// <summary>Names as they appear in YAML: <c>BatchSize</c> → <c>batch_size</c>.</summary>
internal static class SnakeCase
{
    /// <summary>
    /// Converts a PascalCase name to snake_case. An acronym stays one word
    /// (<c>HTTPServer</c> → <c>http_server</c>, <c>Conv2D</c> → <c>conv2d</c>).
    /// </summary>
    public static string From(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                char prev = name[i - 1];
                bool nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                // A new word starts after a lower-case letter, or where an acronym hands over
                // to a capitalised word; digits stick to the word before them.
                if (char.IsLower(prev) || (char.IsUpper(prev) && nextIsLower)) sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The spelling-insensitive form used to match enum values and suggest keys:
    /// lower case, without underscores or dashes (<c>one_cycle</c>, <c>OneCycle</c> → <c>onecycle</c>).
    /// </summary>
    public static string Loose(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is not ('_' or '-')) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
