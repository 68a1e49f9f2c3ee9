using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>
/// Compares two resolved configs (YAML as <see cref="ConfigWriter"/> writes it) key by key, to
/// say which settings differ: a resume whose model no longer matches its checkpoint, ranks of
/// one job started with different configs.
/// </summary>
public static class ConfigDiff
{
    /// <summary>
    /// The dotted keys whose values differ, in the order of <paramref name="before"/> (then keys only
    /// <paramref name="after"/> has). A list is one value (<c>model.layers</c>); a mapping is
    /// compared key by key.
    /// </summary>
    /// <param name="before">The first config's YAML.</param>
    /// <param name="after">The second config's YAML.</param>
    /// <exception cref="UserError">Either text is not valid YAML.</exception>
    public static IReadOnlyList<ConfigDifference> Compare(string before, string after)
    {
        var a = Flatten(YamlText.Parse(before, "config", withLine: false));
        var b = Flatten(YamlText.Parse(after, "config", withLine: false));
        var differences = new List<ConfigDifference>();
        foreach (var (key, value) in a)
        {
            var other = b.GetValueOrDefault(key);
            if (other != value) differences.Add(new ConfigDifference(key, value, other));
        }
        foreach (var (key, value) in b)
            if (!a.ContainsKey(key)) differences.Add(new ConfigDifference(key, null, value));
        return differences;
    }

    /// <summary>Whether <paramref name="key"/> is <paramref name="section"/> or a key inside it.</summary>
    public static bool IsIn(string key, string section) =>
        key == section || key.StartsWith(section + ".", StringComparison.Ordinal);

    /// <summary>
    /// A list of differences for a one-line message: <c>model.layers ([16] vs [32]), seed (1 vs 2)</c>,
    /// the first <paramref name="max"/> and how many more.
    /// </summary>
    public static string Describe(IReadOnlyList<ConfigDifference> differences, int max = 3)
    {
        var shown = differences.Take(max).Select(d => $"{d.Key} ({Value(d.Before)} vs {Value(d.After)})");
        string more = differences.Count > max ? $" and {differences.Count - max} more" : "";
        return string.Join(", ", shown) + more;
    }

    private static string Value(string? v) => v is null ? "absent" : YamlText.Shorten(v);

    // Insertion-ordered: a Dictionary enumerates in insertion order while nothing is removed.
    private static Dictionary<string, string> Flatten(YamlNode? root)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is YamlMappingNode map) Add(map, "", leaves);
        return leaves;
    }

    private static void Add(YamlMappingNode map, string prefix, Dictionary<string, string> leaves)
    {
        foreach (var (k, v) in map.Children)
        {
            string key = SectionBinder.Join(prefix, k is YamlScalarNode { Value: { } name } ? name : k.ToString());
            if (v is YamlMappingNode child && child.Children.Count > 0) Add(child, key, leaves);
            else leaves[key] = Text(v);
        }
    }

    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode s => YamlText.IsNull(s) ? "null" : s.Value ?? "",
        YamlSequenceNode seq => "[" + string.Join(", ", seq.Children.Select(Text)) + "]",
        YamlMappingNode m => "{" + string.Join(", ", m.Children.Select(kv => Text(kv.Key) + ": " + Text(kv.Value))) + "}",
        _ => node.ToString(),
    };
}
