using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>Reading YAML text into a node tree, and describing nodes in error messages.</summary>
internal static class YamlText
{
    /// <summary>
    /// Parses one YAML document. A syntax error becomes a <see cref="UserError"/> naming
    /// <paramref name="where"/> (<c>config.yaml</c> or <c>--set ...</c>), the line and the parser's reason.
    /// </summary>
    /// <returns>The document's root node, or null for an empty document.</returns>
    public static YamlNode? Parse(string text, string where, bool withLine = true)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new UserError($"{At(where, e.Start.Line, withLine)}: invalid YAML: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 16 fails this way, with no position, on an unclosed '[' or '{'.
            throw new UserError($"{At(where, parser.LastLine, withLine)}: invalid YAML: unexpected end of a '[...]' or '{{...}}' (is a bracket not closed?)", e);
        }
        if (stream.Documents.Count > 1)
        {
            throw new UserError($"{At(where, stream.Documents[1].RootNode.Start.Line, withLine)}: expected one YAML document, found {stream.Documents.Count}");
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>YAML's null: a plain <c>null</c>, <c>~</c> or nothing. A quoted <c>'null'</c> is a string.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && IsNullText(s.Value);

    /// <summary>Whether plain (unquoted) text reads as YAML's null.</summary>
    public static bool IsNullText(string? text) => text is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>How a value reads after "got": <c>'five'</c>, <c>a list</c>, <c>a mapping</c>, <c>null</c>.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" } when IsNull(node) => "nothing",
        YamlScalarNode when IsNull(node) => "null",
        YamlScalarNode { Value: { } v } => $"'{Shorten(v)}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an unsupported YAML value",
    };

    private static string At(string where, long line, bool withLine) => withLine ? $"{where}:{line}" : where;

    // Keeps the message one line: a long or multi-line value is cut.
    private static string Shorten(string v)
    {
        var firstLine = v.Split('\n')[0];
        return firstLine.Length > 40 || firstLine.Length < v.Length ? firstLine[..Math.Min(40, firstLine.Length)] + "..." : v;
    }

    /// <summary>Remembers the last position read, for the parser error that has none.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public long LastLine { get; private set; } = 1;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            if (inner.Current is { } e) LastLine = e.End.Line;
            return moved;
        }
    }
}
