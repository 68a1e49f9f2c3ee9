using System.Collections;
using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>Binds one YAML value onto a property type: scalar, list, mapping of names, or nested section.</summary>
internal sealed class ValueBinder(ConfigSource source, SectionBinder sections)
{
    /// <summary>The value for a property of type <paramref name="type"/> at dotted key <paramref name="key"/>.</summary>
    /// <param name="type">The property type.</param>
    /// <param name="keyNode">The YAML key, where a nested section reports keys it lacks.</param>
    /// <param name="node">The YAML value.</param>
    /// <param name="key">The full dotted key, for messages.</param>
    /// <param name="allowsNull">Whether YAML null is allowed.</param>
    /// <param name="current">The property's default, which a nested section starts from.</param>
    public object? Bind(Type type, YamlNode keyNode, YamlNode node, string key, bool allowsNull, object? current)
    {
        if (YamlText.IsNull(node))
        {
            if (allowsNull) return null;
            throw source.Error(node, $"'{key}' expects {ConfigTypes.Describe(type)}, got {YamlText.Describe(node)}");
        }
        var under = Nullable.GetUnderlyingType(type) ?? type;
        if (ConfigTypes.IsScalar(under)) return Scalar(under, node, key);
        if (ConfigTypes.ListElement(under) is { } element) return List(under, element, node, key);
        if (ConfigTypes.MapValue(under) is { } valueType) return Map(under, valueType, node, key);
        return sections.Bind(under, node, current, key, keyNode);
    }

    private object Scalar(Type type, YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } text } && !YamlText.IsNull(node)
            && ScalarValues.TryParse(type, text, out var value))
        {
            // No file name, shell word or C string can hold a NUL; refuse it here, with the key.
            if (value is string s && s.Contains('\0')) throw source.Error(node, $"'{key}' holds a NUL character; remove it");
            // NaN and infinity are never a valid setting (a rate, a dropout, a tolerance), and
            // 1e400 reads as infinity: refuse them here once rather than in every options record.
            if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f))
            {
                throw source.Error(node, $"'{key}' expects a finite number, got {YamlText.Describe(node)}"
                    + (ScalarValues.SpellsNonFinite(text) ? "" : $" (too large: the limit is about {(type == typeof(float) ? "3.4e38" : "1.8e308")})"));
            }
            return value!;
        }
        throw source.Error(node, $"'{key}' expects {ConfigTypes.Describe(type)}, got {YamlText.Describe(node)}");
    }

    private object List(Type listType, Type element, YamlNode node, string key)
    {
        if (node is not YamlSequenceNode seq)
        {
            throw source.Error(node, $"'{key}' expects {ConfigTypes.Describe(listType)}, got {YamlText.Describe(node)}");
        }
        var items = seq.Children.Select((item, i) => Scalar(element, item, $"{key}[{i}]")).ToList();
        if (listType.IsArray)
        {
            var array = Array.CreateInstance(element, items.Count);
            for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
            return array;
        }
        // List<T> also serves IList<T>, IReadOnlyList<T> and the other list interfaces.
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items) list.Add(item);
        return list;
    }

    private object Map(Type mapType, Type valueType, YamlNode node, string key)
    {
        if (node is not YamlMappingNode map)
        {
            throw source.Error(node, $"'{key}' expects {ConfigTypes.Describe(mapType)}, got {YamlText.Describe(node)}");
        }
        var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } name })
            {
                throw source.Error(k, $"expected a name in '{key}', got {YamlText.Describe(k)}");
            }
            dict[name] = Scalar(valueType, v, $"{key}.{name}");
        }
        return dict;
    }
}
