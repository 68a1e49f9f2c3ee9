using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>Reading YAML text into a node tree, and describing nodes in error messages.</summary>
internal static class YamlText
{
    /// <summary>
    /// The deepest nesting of lists and mappings a config may have (a real config needs 3 or 4).
    /// YamlDotNet builds its node tree recursively, one stack frame chain per level, so a
    /// hostile <c>[[[[...</c> 100,000 deep would overflow the stack and kill the process; the
    /// events are counted as they stream in and the document is refused at this depth instead.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// Parses one YAML document. A syntax error becomes a <see cref="UserError"/> naming
    /// <paramref name="where"/> (<c>config.yaml</c> or <c>--set ...</c>), the line and the parser's reason.
    /// </summary>
    /// <returns>The document's root node, or null for an empty document.</returns>
    /// <exception cref="UserError">Invalid YAML, more than one document, or nesting deeper than <see cref="MaxDepth"/>.</exception>
    public static YamlNode? Parse(string text, string where, bool withLine = true)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (TooDeepException e)
        {
            throw new UserError($"{At(where, e.Line, withLine)}: lists and mappings are nested more than {MaxDepth} deep; " +
                "a config needs a few levels (e.g. model: {layers: [64, 32]}): is a bracket repeated or not closed?", e);
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

    /// <summary>Keeps a message one line and short: a long or multi-line value is cut to <paramref name="max"/> characters and "...".</summary>
    public static string Shorten(string v, int max = 40)
    {
        int end = v.IndexOf('\n');
        var firstLine = end < 0 ? v : v[..end];
        return firstLine.Length > max || firstLine.Length < v.Length ? firstLine[..Math.Min(max, firstLine.Length)] + "..." : v;
    }

    /// <summary>
    /// Remembers the last position read, for the parser error that has none, and counts the
    /// nesting depth, stopping at <see cref="MaxDepth"/> before the tree builder recurses deeper.
    /// YamlDotNet's parser and scanner themselves keep their state on the heap, so reading the
    /// events is safe at any depth.
    /// </summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        private int _depth;

        public long LastLine { get; private set; } = 1;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            bool moved = inner.MoveNext();
            if (inner.Current is not { } e) return moved;
            LastLine = e.End.Line;
            if (e is MappingStart or SequenceStart) _depth++;
            else if (e is MappingEnd or SequenceEnd) _depth--;
            if (_depth > MaxDepth) throw new TooDeepException(e.Start.Line);
            return moved;
        }
    }

    /// <summary>Thrown from inside YamlDotNet's tree builder to stop it at <see cref="MaxDepth"/>.</summary>
    private sealed class TooDeepException(long line) : Exception("YAML nested too deep")
    {
        public long Line { get; } = line;
    }
}
