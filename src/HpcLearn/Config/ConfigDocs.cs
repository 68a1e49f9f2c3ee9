using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HpcLearn.Config;

/// <summary>
/// One line per config key, taken from the XML doc comment of the options property it binds to
/// (the <c>HpcLearn.xml</c> the build writes beside the assembly), so <c>hpclearn tasks</c> and
/// the code say the same thing. Without that file every description is null: the keys still print.
/// </summary>
public static partial class ConfigDocs
{
    private static readonly ConcurrentDictionary<Assembly, IReadOnlyDictionary<string, string>> Loaded = new();

    /// <summary>The one-line description of <paramref name="property"/>, without its "Default ..." sentence; null when undocumented.</summary>
    public static string? Describe(PropertyInfo property)
    {
        var type = property.DeclaringType!;
        var docs = Loaded.GetOrAdd(type.Assembly, Load);
        return docs.TryGetValue($"P:{type.FullName?.Replace('+', '.')}.{property.Name}", out var text) ? text : null;
    }

    private static IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        try
        {
            string file = Path.ChangeExtension(assembly.Location, ".xml");
            if (assembly.Location.Length == 0 || !File.Exists(file)) return new Dictionary<string, string>();
            var result = new Dictionary<string, string>();
            foreach (var member in XDocument.Load(file).Descendants("member"))
                if (member.Attribute("name")?.Value is { } name && name.StartsWith("P:", StringComparison.Ordinal)
                    && member.Element("summary") is { } summary && OneLine(summary) is { Length: > 0 } line)
                    result[name] = line;
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return new Dictionary<string, string>(); // a damaged docs file costs the descriptions, not the command
        }
    }

    // <see cref="T:X.Y.Z"/> → Z, <c>x</c> → x, whitespace folded, and the default dropped: the value beside it says it.
    private static string OneLine(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(Text));
        text = Spaces().Replace(text, " ").Trim();
        return DefaultSentence().Replace(text, "").Trim();
    }

    private static string Text(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } e => e.Attribute("langword")?.Value
            ?? SnakeCase.From((e.Attribute("cref")?.Value ?? "").Split('.', ':').Last()),
        XElement { Name.LocalName: "paramref" or "typeparamref" } e => e.Attribute("name")?.Value ?? "",
        XElement e => string.Concat(e.Nodes().Select(Text)),
        _ => "",
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"(?:^|(?<=[.;]\s))Defaults?\b.*$")]
    private static partial Regex DefaultSentence();
}
