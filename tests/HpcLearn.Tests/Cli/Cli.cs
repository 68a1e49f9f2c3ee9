using HpcLearn.Cli;
using Xunit;

namespace HpcLearn.Tests.Cli;

/// <summary>The result of one <c>hpclearn</c> invocation.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>Runs the command line in process, capturing both streams.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with a given world: environment, clock, external programs, signals.</summary>
    public static CliResult Run(CliHost host, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, host);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Exit code 0, nothing on stderr unless allowed, no stack trace.</summary>
    public static CliResult AssertOk(this CliResult r, bool allowStderr = false)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        if (!allowStderr) Assert.True(r.Err.Length == 0, r.ToString());
        AssertNoStackTrace(r);
        return r;
    }

    /// <summary>Exit code 2 and stderr is exactly the one line <c>error: message</c>, with no stack trace anywhere.</summary>
    public static void AssertUserError(this CliResult r, string message)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal($"error: {message}{Environment.NewLine}", r.Err);
        AssertNoStackTrace(r);
    }

    /// <summary>Exit code 2 and stderr is one line starting with <c>error: prefix</c>.</summary>
    public static void AssertUserErrorStartsWith(this CliResult r, string prefix)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.StartsWith($"error: {prefix}", r.Err);
        Assert.Single(r.Err.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        AssertNoStackTrace(r);
    }

    public static void AssertNoStackTrace(CliResult r)
    {
        Assert.DoesNotContain("   at ", r.Out);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    /// <summary>A tabular config on built-in churn data that trains in well under a second.</summary>
    public static string TinyYaml(string name, int epochs = 2, string data = "{builtin_rows: 300}") => $$"""
        task: tabular
        name: {{name}}
        data: {{data}}
        model: {layers: [16]}
        train: {epochs: {{epochs}}}

        """;
}
