using HpcLearn.Config;

namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// The <c>data.titles:</c> section: an optional file of item titles for readable recommendations.
/// MovieLens <c>u.item</c> ('|'-separated, no header, Latin-1: id in column 1, title in column 2)
/// and <c>movies.csv</c> (header movieId,title,genres) are recognised by their names.
/// </summary>
public sealed record TitlesOptions : IValidatable
{
    /// <summary>The titles file; null (default) means no titles.</summary>
    public string? Path { get; init; }

    /// <summary>Field separator; null: '|' for u.item, else detected from the first line.</summary>
    public string? Separator { get; init; }

    /// <summary>Whether the first line names the columns; null: no for u.item, else yes when no field is a number.</summary>
    public bool? Header { get; init; }

    /// <summary>Item id column (name or 1-based position); null: movieId/itemId/item_id/item/id, or column 1.</summary>
    public string? ItemColumn { get; init; }

    /// <summary>Title column (name or 1-based position); null: title/name, or column 2.</summary>
    public string? TitleColumn { get; init; }

    /// <summary>Text encoding: utf-8 or latin-1; null: latin-1 for u.item (MovieLens 100k), else utf-8.</summary>
    public string? Encoding { get; init; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Encoding is not null && Encoding.ToLowerInvariant() is not ("utf-8" or "utf8" or "latin-1" or "latin1" or "iso-8859-1"))
            yield return ("encoding", "must be utf-8 or latin-1");
    }
}
