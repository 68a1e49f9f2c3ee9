namespace HpcLearn.Config;

/// <summary>
/// The input files a config names: every key <c>path</c> or <c>*_path</c> that is set in its
/// <c>data:</c> section, nested sections included (<c>data.path</c>, <c>data.test_path</c>,
/// <c>data.titles.path</c>). Read generically, so a task's new path key is covered without code here.
/// </summary>
public static class ConfigPaths
{
    /// <summary>The set input paths of <paramref name="config"/>, each with its full key, in declaration order.</summary>
    public static IReadOnlyList<(string Key, string Path)> Inputs(RunConfig config)
    {
        var found = new List<(string, string)>();
        var data = OptionProperty.Of(config.GetType()).FirstOrDefault(p => p.Key == "data");
        if (data?.Info.GetValue(config) is { } section) Walk(section, "data", found, depth: 0);
        return found;
    }

    private static void Walk(object section, string prefix, List<(string, string)> found, int depth)
    {
        if (depth > 8) return;
        foreach (var option in OptionProperty.Of(section.GetType()))
        {
            var value = option.Info.GetValue(section);
            string key = $"{prefix}.{option.Key}";
            if (value is string text)
            {
                if ((option.Key == "path" || option.Key.EndsWith("_path", StringComparison.Ordinal)) && text.Trim().Length > 0) found.Add((key, text));
            }
            else if (value is not null && ConfigTypes.IsSection(option.Type))
                Walk(value, key, found, depth + 1);
        }
    }
}
