using System.Reflection;
using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>The recursive part of <see cref="ConfigBinder"/>: sections, then values, then validation.</summary>
internal sealed class SectionBinder(ConfigSource source)
{
    // The keys the config's task does not read (IUnreadKeys of the top-level type), by dotted key.
    private IReadOnlyDictionary<string, string>? _unread;

    // Every dotted key the YAML gave, for a config that derives defaults from its data (IGivenKeys).
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    /// <summary>Binds a mapping onto a copy of <paramref name="current"/> (or a new instance), then validates it.</summary>
    /// <param name="type">The section's options type.</param>
    /// <param name="node">The section's YAML value.</param>
    /// <param name="current">The default value the section replaces, if any.</param>
    /// <param name="keyPath">The section's dotted key; empty at the top level.</param>
    /// <param name="sectionKey">The section's key (<c>train:</c>), where problems with keys it lacks are reported.</param>
    public object Bind(Type type, YamlNode node, object? current, string keyPath, YamlNode? sectionKey = null)
    {
        if (node is not YamlMappingNode map)
        {
            throw source.Error(node, keyPath.Length == 0
                ? $"expected a mapping of keys at the top level, got {YamlText.Describe(node)}"
                : $"'{keyPath}' expects a mapping (section), got {YamlText.Describe(node)}");
        }
        var target = Fresh(type, current);
        if (keyPath.Length == 0 && target is IUnreadKeys unread) _unread = unread.UnreadKeys;
        var options = OptionProperty.Of(type);
        var present = new HashSet<string>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw source.Error(keyNode, $"expected a key name{In(keyPath)}, got {YamlText.Describe(keyNode)}");
            }
            var full = Join(keyPath, key);
            var option = options.FirstOrDefault(o => o.Key == key)
                ?? throw source.Error(keyNode, UnknownKey(full, key, options.Where(o => _unread?.ContainsKey(Join(keyPath, o.Key)) != true).ToList()));
            if (_unread is not null && _unread.TryGetValue(full, out var why)) throw source.Error(keyNode, $"'{full}' {why}");
            present.Add(key);
            _given.Add(full);
            var value = new ValueBinder(source, this).Bind(option.Type, keyNode, valueNode, full, option.AllowsNull, option.Info.GetValue(target));
            option.Info.SetValue(target, value);
        }
        // Sections the YAML leaves out keep their defaults, which must still pass validation
        // (e.g. a required data.path): report them at the enclosing section.
        foreach (var option in options.Where(o => !present.Contains(o.Key) && ConfigTypes.IsSection(o.Type)))
        {
            if (option.Info.GetValue(target) is { } child) ValidateDefaults(child, Join(keyPath, option.Key), sectionKey ?? map);
        }
        Validate(target, keyPath, map, sectionKey ?? map);
        if (keyPath.Length == 0 && target is IGivenKeys given) given.Given = new HashSet<string>(_given, StringComparer.Ordinal);
        return target;
    }

    private void ValidateDefaults(object obj, string keyPath, YamlNode at)
    {
        foreach (var option in OptionProperty.Of(obj.GetType()).Where(o => ConfigTypes.IsSection(o.Type)))
        {
            if (option.Info.GetValue(obj) is { } child) ValidateDefaults(child, Join(keyPath, option.Key), at);
        }
        Validate(obj, keyPath, null, at);
    }

    // The first problem becomes the error, at the line of its key if the YAML has it, else at the section.
    private void Validate(object obj, string keyPath, YamlMappingNode? map, YamlNode fallback)
    {
        if (obj is not IValidatable validatable) return;
        foreach (var (key, message) in validatable.Validate())
        {
            var full = Join(keyPath, key);
            var at = Locate(map, key) ?? fallback;
            throw source.Error(at, full.Length == 0 ? message : $"'{full}' {message}");
        }
    }

    private static YamlNode? Locate(YamlMappingNode? map, string dottedKey)
    {
        YamlNode? found = null;
        foreach (var part in dottedKey.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            // A list item's problem ("signals[0]") is reported at the list's key.
            var name = part.Split('[')[0];
            var key = map?.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == name);
            if (key is null) break;
            found = key;
            map = map!.Children[key] as YamlMappingNode;
        }
        return found;
    }

    // Records are copied with their compiler-made clone so a default shared by reference is never
    // changed; any other class gets a new instance rather than mutating one we did not create.
    private static object Fresh(Type type, object? current)
    {
        if (current is not null && current.GetType() == type
            && type.GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { } clone)
        {
            return clone.Invoke(current, null)!;
        }
        return Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Cannot create {type.Name}.");
    }

    private static string UnknownKey(string full, string key, IReadOnlyList<OptionProperty> options)
    {
        var valid = options.Select(o => o.Key).ToList();
        var nearest = KeySuggestion.Nearest(key, valid);
        if (nearest is null) return $"unknown key '{full}'; valid keys: {string.Join(", ", valid)}";
        return $"unknown key '{full}'; did you mean '{full[..^key.Length]}{nearest}'?";
    }

    private static string In(string keyPath) => keyPath.Length == 0 ? "" : $" in '{keyPath}'";

    /// <summary>Joins a section's dotted key and a key inside it.</summary>
    public static string Join(string keyPath, string key) =>
        keyPath.Length == 0 ? key : key.Length == 0 ? keyPath : $"{keyPath}.{key}";
}
