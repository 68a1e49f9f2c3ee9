using System.Text;

namespace HpcLearn.Tasks.Recommend;

/// <summary>Reads item titles (id → title) for readable recommendations.</summary>
public static class TitlesFile
{
    /// <summary>Titles by item id as written in the file; a <see cref="UserError"/> naming the file and line on a bad line.</summary>
    public static Dictionary<string, string> Load(TitlesOptions o)
    {
        string path = o.Path ?? throw new ArgumentException("no titles path", nameof(o));
        bool uItem = System.IO.Path.GetFileName(path).Equals("u.item", StringComparison.OrdinalIgnoreCase);
        string? enc = o.Encoding?.ToLowerInvariant() ?? (uItem ? "latin-1" : "utf-8");
        var encoding = enc is "utf-8" or "utf8" ? new UTF8Encoding(false) : Encoding.Latin1;
        using var text = DelimitedText.Open(path, o.Separator ?? (uItem ? "|" : null), o.Header ?? (uItem ? false : null), encoding);
        int id = text.Column(o.ItemColumn, ["movieId", "itemId", "item_id", "item", "id", "bookId", "ISBN"], 0, "data.titles.item_column", optional: false);
        int title = text.Column(o.TitleColumn, ["title", "name", "Book-Title"], 1, "data.titles.title_column", optional: false);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (f, line) in text.Rows())
        {
            if (f.Length <= Math.Max(id, title))
                throw new UserError($"{path}:{line}: has {f.Length} field{(f.Length == 1 ? "" : "s")}, expected at least {Math.Max(id, title) + 1}; fix the line or set data.titles.separator");
            titles[f[id]] = f[title];
        }
        return titles;
    }
}
