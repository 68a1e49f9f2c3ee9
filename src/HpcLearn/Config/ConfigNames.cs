using System.Reflection;

namespace HpcLearn.Config;

/// <summary>
/// Names as configs spell them: a <see cref="ConfigNameAttribute"/> where there is one, else the
/// snake_case of the C# name.
/// </summary>
internal static class ConfigNames
{
    /// <summary>The YAML key of an options property.</summary>
    public static string Key(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigNameAttribute>()?.Name ?? SnakeCase.From(property.Name);

    /// <summary>The YAML spelling of the enum value called <paramref name="name"/> in C#.</summary>
    public static string EnumValue(Type enumType, string name) =>
        enumType.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<ConfigNameAttribute>()?.Name
        ?? SnakeCase.From(name);

    /// <summary>The YAML spelling of <paramref name="value"/>.</summary>
    public static string EnumValue(Enum value) => EnumValue(value.GetType(), value.ToString());
}
