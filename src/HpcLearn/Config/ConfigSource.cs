using YamlDotNet.RepresentationModel;

namespace HpcLearn.Config;

/// <summary>
/// Where a YAML node came from, for error messages: a line of the config file, or a
/// <c>--set</c> override (whose nodes have no line worth naming).
/// </summary>
internal sealed class ConfigSource
{
    // By reference: YamlNode.Equals compares content, and two overrides may set equal values.
    private readonly Dictionary<YamlNode, string> _fromOverride = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a source for the named file (as the user wrote its path).</summary>
    public ConfigSource(string file) => File = file;

    /// <summary>The config file's name as shown in messages.</summary>
    public string File { get; }

    /// <summary>Records that <paramref name="node"/> and everything under it came from an override.</summary>
    public void MarkOverride(YamlNode node, string text)
    {
        foreach (var n in node.AllNodes) _fromOverride[n] = text;
    }

    /// <summary>The message prefix for a node: <c>config.yaml:7</c> or <c>--set train.epocs=5</c>.</summary>
    public string Where(YamlNode node) =>
        _fromOverride.TryGetValue(node, out var text) ? $"--set {YamlText.Shorten(text, 80)}" : $"{File}:{node.Start.Line}";

    /// <summary>A user error located at <paramref name="node"/>.</summary>
    public UserError Error(YamlNode node, string message) => new($"{Where(node)}: {message}");
}
