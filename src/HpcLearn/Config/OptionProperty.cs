using System.Collections.Concurrent;
using System.Reflection;

namespace HpcLearn.Config;

/// <summary>One YAML key of an options type: a public property with a setter or init accessor.</summary>
/// <param name="Key">The key in YAML (snake_case of the property name, or its <see cref="ConfigNameAttribute"/>).</param>
/// <param name="Info">The property it binds to.</param>
/// <param name="AllowsNull">Whether YAML <c>null</c> is allowed (nullable value or annotated reference type).</param>
internal sealed record OptionProperty(string Key, PropertyInfo Info, bool AllowsNull)
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<OptionProperty>> Cache = new();

    /// <summary>The property's type.</summary>
    public Type Type => Info.PropertyType;

    /// <summary>
    /// The keys of <paramref name="type"/>, base class first and in declaration order, so that
    /// written configs and "valid keys" lists read like the source.
    /// </summary>
    /// <exception cref="InvalidOperationException">A property has a type configs do not support (a bug).</exception>
    public static IReadOnlyList<OptionProperty> Of(Type type) => Cache.GetOrAdd(type, Build);

    private static IReadOnlyList<OptionProperty> Build(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);

        // NullabilityInfoContext is not thread-safe; one per build, and the result is cached.
        var nullability = new NullabilityInfoContext();
        var byKey = new Dictionary<string, int>();
        var list = new List<OptionProperty>();
        foreach (var t in chain)
        {
            var declared = t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .OrderBy(p => p.MetadataToken);
            foreach (var p in declared)
            {
                if (!ConfigTypes.IsSupported(p.PropertyType))
                {
                    throw new InvalidOperationException(
                        $"{type.Name}.{p.Name}: config properties cannot have type {p.PropertyType.Name}.");
                }
                bool allowsNull = Nullable.GetUnderlyingType(p.PropertyType) is not null
                    || (!p.PropertyType.IsValueType && nullability.Create(p).WriteState == NullabilityState.Nullable);
                var option = new OptionProperty(ConfigNames.Key(p), p, allowsNull);
                // A derived type that redeclares a property keeps the base's position.
                if (byKey.TryGetValue(option.Key, out var at)) list[at] = option;
                else { byKey[option.Key] = list.Count; list.Add(option); }
            }
        }
        return list;
    }
}
