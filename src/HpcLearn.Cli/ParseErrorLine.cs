using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using HpcLearn.Config;

namespace HpcLearn.Cli;

/// <summary>
/// The one line a command-line mistake gets: an unknown command or option is named with the
/// nearest valid one (<c>trian</c> → <c>train</c>), by the same edit distance as config keys.
/// </summary>
internal static partial class ParseErrorLine
{
    private const string Usage = "run 'hpclearn --help' (or 'hpclearn COMMAND --help') for usage";

    /// <summary>The error line (without <c>error: </c>), or null when the command line parsed.</summary>
    public static string? Of(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        // An unknown option is taken as an argument's value (train --sett → config '--sett') or left unmatched.
        foreach (var token in parsed.Tokens)
            if (token.Type == TokenType.Argument && LooksLikeOption().IsMatch(token.Value) && !IsOptionValue(parsed, token))
                return Unknown("option", token.Value, OptionNames(parsed.CommandResult));
        if (parsed.Errors.Count == 0) return null;
        if (command.Subcommands.Count > 0 && parsed.UnmatchedTokens.FirstOrDefault() is { } word && !parsed.CommandResult.Children.Any())
            return Unknown("command", word, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name), command);
        var messages = parsed.Errors.Select(e => e.Message.Trim().TrimEnd('.')).Distinct();
        return $"{string.Join("; ", messages)}; {Usage}";
    }

    private static string Unknown(string what, string typed, IEnumerable<string> valid, Command? parent = null)
    {
        string where = parent is null || parent.Parents.Any() is false ? "" : $" of '{parent.Name}'";
        return KeySuggestion.Nearest(typed, valid) is { } near
            ? $"unknown {what} '{typed}'{where}; did you mean '{near}'?"
            : $"unknown {what} '{typed}'{where}; {Usage}";
    }

    // A token given to an option (--seed -1) is that option's value, whatever it looks like.
    private static bool IsOptionValue(ParseResult parsed, Token token) =>
        parsed.CommandResult.Children.OfType<OptionResult>().Any(o => o.Tokens.Contains(token));

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c)
                foreach (var o in c.Command.Options.Where(o => !o.Hidden && (ReferenceEquals(c, result) || o.Recursive)))
                {
                    yield return o.Name;
                    foreach (var a in o.Aliases) yield return a;
                }
    }

    [GeneratedRegex("^--?[A-Za-z]")]
    private static partial Regex LooksLikeOption();
}
