using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>
/// Binds a YAML tree onto an options type, key by key (snake_case of the property names).
/// Keys absent from the YAML keep the type's defaults; an unknown key, a value of the wrong
/// type or a failed <see cref="IValidatable.Validate"/> is a <see cref="UserError"/> naming the
/// file, the line and the full dotted key.
/// </summary>
public static class ConfigBinder
{
    /// <summary>
    /// Binds <paramref name="node"/> (a mapping) onto a new instance of <paramref name="type"/>, a class
    /// or record with a public parameterless constructor.
    /// </summary>
    /// <param name="type">The options type.</param>
    /// <param name="node">The YAML mapping with its keys.</param>
    /// <param name="file">The config file's name as shown in error messages.</param>
    /// <param name="keyPath">The dotted key of <paramref name="node"/> (e.g. <c>train</c>); empty for the top level.</param>
    /// <exception cref="UserError">The YAML does not fit the type, or the bound values are invalid.</exception>
    public static object Bind(Type type, YamlNode node, string file, string keyPath) =>
        Bind(type, node, new ConfigSource(file), keyPath);

    /// <inheritdoc cref="Bind(Type, YamlNode, string, string)"/>
    public static T Bind<T>(YamlNode node, string file, string keyPath) where T : class =>
        (T)Bind(typeof(T), node, file, keyPath);

    internal static object Bind(Type type, YamlNode node, ConfigSource source, string keyPath)
    {
        if (!ConfigTypes.IsSection(type))
        {
            throw new ArgumentException($"{type.Name} is not an options type (a class with a public parameterless constructor).", nameof(type));
        }
        return new SectionBinder(source).Bind(type, node, current: null, keyPath);
    }
}
