namespace HpcLearn.Config;

/// <summary>
/// Which property types a config may use, and how each is described to the user
/// (<c>'train.epochs' expects an integer</c>).
/// </summary>
internal static class ConfigTypes
{
    private static readonly Type[] ListDefinitions =
    [
        typeof(List<>), typeof(IList<>), typeof(IReadOnlyList<>),
        typeof(ICollection<>), typeof(IReadOnlyCollection<>), typeof(IEnumerable<>),
    ];

    private static readonly Type[] MapDefinitions =
        [typeof(Dictionary<,>), typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>)];

    /// <summary>string, int, long, double, float, bool or an enum (not nullable).</summary>
    public static bool IsScalar(Type t) =>
        t == typeof(string) || t == typeof(int) || t == typeof(long) || t == typeof(double)
        || t == typeof(float) || t == typeof(bool) || t.IsEnum;

    /// <summary>The element type of a supported list (<c>T[]</c>, <c>List&lt;T&gt;</c>, ...), else null.</summary>
    public static Type? ListElement(Type t)
    {
        Type? element = t.IsArray && t.GetArrayRank() == 1 ? t.GetElementType()
            : t.IsGenericType && ListDefinitions.Contains(t.GetGenericTypeDefinition()) ? t.GetGenericArguments()[0]
            : null;
        return element is not null && IsScalar(element) ? element : null;
    }

    /// <summary>The value type of a supported string-keyed dictionary, else null.</summary>
    public static Type? MapValue(Type t)
    {
        if (!t.IsGenericType || !MapDefinitions.Contains(t.GetGenericTypeDefinition())) return null;
        var args = t.GetGenericArguments();
        return args[0] == typeof(string) && IsScalar(args[1]) ? args[1] : null;
    }

    /// <summary>A nested options type: a concrete class with a public parameterless constructor.</summary>
    public static bool IsSection(Type t) =>
        t.IsClass && !t.IsAbstract && t != typeof(string) && ListElement(t) is null && MapValue(t) is null
        && t.GetConstructor(Type.EmptyTypes) is not null;

    /// <summary>Whether a property of this type can be bound at all.</summary>
    public static bool IsSupported(Type t)
    {
        var under = Nullable.GetUnderlyingType(t) ?? t;
        return IsScalar(under) || ListElement(under) is not null || MapValue(under) is not null || IsSection(under);
    }

    /// <summary>What a value of this type looks like, as the end of "expects ...".</summary>
    public static string Describe(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string)) return "a string";
        if (t == typeof(int) || t == typeof(long)) return "an integer";
        if (t == typeof(double) || t == typeof(float)) return "a number";
        if (t == typeof(bool)) return "true or false";
        if (t.IsEnum) return "one of: " + string.Join(", ", EnumNames(t));
        if (ListElement(t) is { } e) return "a list of " + Plural(e);
        if (MapValue(t) is { } v) return "a mapping of names to " + Plural(v);
        return "a mapping (section)";
    }

    /// <summary>An enum's values as written in YAML (snake_case or <see cref="ConfigNameAttribute"/>), in declaration order.</summary>
    public static IEnumerable<string> EnumNames(Type enumType) =>
        Enum.GetNames(enumType).Select(name => ConfigNames.EnumValue(enumType, name));

    private static string Plural(Type t)
    {
        if (t == typeof(string)) return "strings";
        if (t == typeof(int) || t == typeof(long)) return "integers";
        if (t == typeof(double) || t == typeof(float)) return "numbers";
        if (t == typeof(bool)) return "true/false values";
        return "values from: " + string.Join(", ", EnumNames(t));
    }
}
