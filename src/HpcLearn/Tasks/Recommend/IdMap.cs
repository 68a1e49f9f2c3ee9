namespace HpcLearn.Tasks.Recommend;

/// <summary>
/// Dense ids 0..n-1 for user or item ids as written in the data (any strings), in order of first
/// appearance in the training ratings. Saved in model.json, so predict speaks the file's ids.
/// </summary>
public sealed class IdMap
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates the map over <paramref name="ids"/> (distinct, in dense-id order).</summary>
    public IdMap(IReadOnlyList<string> ids)
    {
        Ids = ids;
        _index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (int k = 0; k < ids.Count; k++)
            if (!_index.TryAdd(ids[k], k)) throw new ArgumentException($"id '{ids[k]}' appears twice", nameof(ids));
    }

    /// <summary>The ids, by dense id.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Number of ids.</summary>
    public int Count => Ids.Count;

    /// <summary>The dense id of <paramref name="id"/>, or -1 when it was not in the training data.</summary>
    public int Find(string id) => _index.TryGetValue(id, out int k) ? k : -1;

    /// <summary>The distinct values of <paramref name="ids"/> in order of first appearance.</summary>
    public static IdMap FirstAppearance(IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return new IdMap(ids.Where(seen.Add).ToList());
    }
}
