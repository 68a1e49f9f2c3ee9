using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>--version</c>: hpclearn's own version. The parser's default prints the entry assembly's,
/// which is the host's (a test runner, a notebook) whenever <see cref="CliApp.Run"/> is called in process.
/// </summary>
internal sealed class VersionAction(TextWriter stdout) : SynchronousCommandLineAction
{
    /// <summary>The informational version of hpclearn, e.g. <c>0.1.0+&lt;commit&gt;</c>.</summary>
    public static string Version { get; } =
        typeof(VersionAction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionAction).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <inheritdoc />
    public override bool ClearsParseErrors => true;

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        stdout.WriteLine(Version);
        return CliApp.Ok;
    }

    /// <summary>Points the root command's <c>--version</c> option at this action.</summary>
    public static void Install(Command root, TextWriter stdout)
    {
        foreach (var option in root.Options.OfType<VersionOption>()) option.Action = new VersionAction(stdout);
    }
}
