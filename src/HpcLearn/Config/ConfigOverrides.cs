using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>
/// Applies <c>--set key=value</c> overrides to the YAML tree before binding, so an override gets
/// the same checks and messages as the file, only named by the override instead of a line.
/// </summary>
internal static class ConfigOverrides
{
    /// <summary>Sets each dotted key in <paramref name="root"/>, creating sections on the way.</summary>
    /// <exception cref="UserError">An override is not <c>key=value</c> or its value is not valid YAML.</exception>
    public static void Apply(YamlMappingNode root, IEnumerable<string> overrides, ConfigSource source)
    {
        foreach (var text in overrides)
        {
            int eq = text.IndexOf('=');
            var path = eq > 0 ? text[..eq].Trim().Split('.') : [];
            if (path.Length == 0 || path.Any(p => p.Trim().Length == 0))
            {
                throw new UserError($"--set '{YamlText.Shorten(text, 80)}': expected key=value");
            }
            var value = ParseValue(text[(eq + 1)..], text);
            source.MarkOverride(value, text);

            var map = root;
            foreach (var part in path[..^1])
            {
                // A missing section, or a value where a section must go, becomes an empty section;
                // the binder then names the override if that section is not a valid key.
                if (Find(map, part.Trim()) is { } existing && map.Children[existing] is YamlMappingNode child)
                {
                    map = child;
                    continue;
                }
                var section = new YamlMappingNode();
                Set(map, part.Trim(), section, text, source);
                map = section;
            }
            Set(map, path[^1].Trim(), value, text, source);
        }
    }

    // The key is re-added, not just its value replaced, so the key's position also names the override.
    private static void Set(YamlMappingNode map, string key, YamlNode value, string text, ConfigSource source)
    {
        if (Find(map, key) is { } existing) map.Children.Remove(existing);
        var keyNode = new YamlScalarNode(key);
        source.MarkOverride(keyNode, text);
        source.MarkOverride(value, text);
        map.Children.Add(keyNode, value);
    }

    private static YamlNode? Find(YamlMappingNode map, string key) =>
        map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);

    // A bracket or quote starts YAML flow syntax ([64, 32], {a: 1}, 'text'); anything else is taken
    // literally as a plain scalar, so a path with ': ' or '#' in it needs no quoting.
    private static YamlNode ParseValue(string raw, string text)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0 || trimmed[0] is not ('[' or '{' or '\'' or '"'))
        {
            return new YamlScalarNode(trimmed) { Style = ScalarStyle.Plain };
        }
        return YamlText.Parse(trimmed, $"--set {YamlText.Shorten(text, 80)}", withLine: false)
            ?? new YamlScalarNode("") { Style = ScalarStyle.Plain };
    }
}
