using HpcLearn.Cluster;

namespace HpcLearn.Tests.Cluster;

/// <summary>
/// A fake <see cref="ICommandRunner"/>: answers each program from a table of canned results
/// (127, "not found", for the rest) and records every call as one line, <c>program arg arg</c>.
/// </summary>
internal sealed class FakeCommands : ICommandRunner
{
    private readonly Dictionary<string, Func<IReadOnlyList<string>, CommandResult>> _answers = new();

    public List<string> Calls { get; } = new();

    /// <summary>Answers <paramref name="program"/> with <paramref name="answer"/>.</summary>
    public FakeCommands On(string program, Func<IReadOnlyList<string>, CommandResult> answer)
    {
        _answers[program] = answer;
        return this;
    }

    /// <summary>Answers <paramref name="program"/> with exit code 0 and <paramref name="stdout"/>.</summary>
    public FakeCommands On(string program, string stdout) => On(program, _ => new CommandResult(0, stdout, ""));

    public CommandResult Run(string program, IReadOnlyList<string> arguments)
    {
        Calls.Add(string.Join(' ', [program, .. arguments]));
        return _answers.TryGetValue(program, out var answer)
            ? answer(arguments)
            : new CommandResult(CommandResult.NotFound, "", $"{program}: command not found");
    }
}
