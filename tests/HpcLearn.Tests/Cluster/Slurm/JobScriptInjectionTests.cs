using System.Diagnostics;
using System.Text;
using HpcLearn.Cli;
using HpcLearn.Cluster.Sweeps;
using HpcLearn.Tests.Cli;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;

namespace HpcLearn.Tests.Cluster.Slurm;

/// <summary>
/// No value can become a command in a job script. Random strings made of shell metacharacters,
/// line breaks, NUL, quotes, <c>$()</c>, backticks, unicode and a canary command go through every
/// config field and flag that reaches <c>submit</c> and <c>sweep</c>. Each is refused with one line
/// (exit 2), or the script is accepted by <c>bash -n</c> and, run for real in a sandbox with stub
/// commands, runs the canary never and hpclearn with exactly the intended arguments.
/// </summary>
public sealed class JobScriptInjectionTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    private readonly string _bin;
    private readonly string _canary;

    public JobScriptInjectionTests()
    {
        _bin = Directory.CreateDirectory(_tmp["bin"]).FullName;
        _canary = _tmp["PWNED"];
        // 'pwn' is the command an injection would run; 'hpclearn' and 'module' record their arguments.
        Stub("pwn", $"touch {_canary}");
        Stub("hpclearn", $"printf '%s\\0' \"$@\" > {_tmp["hpclearn.argv"]}");
        Stub("module", $"printf '%s\\0' \"$@\" >> {_tmp["module.argv"]}");
    }

    public void Dispose() => _tmp.Dispose();

    private static readonly string[] Pieces =
    [
        "\n", "\r", "\r\n", "\t", "\0", "\u001b[31m", "\u007f", "\u0085", "\u2028", "'", "\"", "\\", "$(pwn)", "`pwn`",
        "; pwn", "&& pwn", "| pwn", "\npwn #", "\npwn\n", "' ; pwn ; '", "\" ; pwn ; \"", "$HOME", "${IFS}", "*", "~",
        "#", " ", "  ", "-", "--", "=", "%a", "a", "gpu", "x_1", "é", "雪", "..", "/", ",", "[", "]", "{", "}", "!", "&", ">", "<",
    ];

    private static string RandomValue(Random rng)
    {
        var s = new StringBuilder();
        int n = rng.Next(1, 6);
        for (int i = 0; i < n; i++) s.Append(Pieces[rng.Next(Pieces.Length)]);
        return s.ToString();
    }

    // A YAML double-quoted scalar that reads back as exactly 'value' (every non-ASCII-printable char escaped).
    private static string YamlString(string value)
    {
        var s = new StringBuilder("\"");
        foreach (char c in value)
        {
            if (c == '"' || c == '\\') s.Append('\\').Append(c);
            else if (c is >= ' ' and <= '~') s.Append(c);
            else s.Append($"\\u{(int)c:X4}");
        }
        return s.Append('"').ToString();
    }

    public static TheoryData<string> Fields() => new() { "name", "cluster.partition", "cluster.account", "cluster.qos", "cluster.time", "cluster.modules", "cluster.extra_sbatch", "--out", "--partition" };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Submit_never_runs_a_value_as_a_command(string field)
    {
        var rng = new Random(field.GetHashCode(StringComparison.Ordinal) & 0xFFFF);
        int accepted = 0, refused = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            string value = RandomValue(rng);
            var (r, runs, yaml) = Submit(field, value, trial);
            if (r.ExitCode == 2)
            {
                Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith("error: ", r.Err);
                refused++;
                continue;
            }
            Assert.True(r.ExitCode == 0, $"value {Escaped(value)}: {r}");
            accepted++;
            string name = field != "name" ? "inj" : string.IsNullOrWhiteSpace(value) ? "tabular" : value;
            string runDir = Path.Combine(runs, name);
            var expected = new[] { "train", Path.Combine(runDir, "job.yaml"), "--out", runs, "--resume-if-possible" };
            RunScript(r.Out, value, expected, field == "cluster.modules" ? ["load", .. value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)] : null);
            _ = yaml;
        }
        Assert.True(refused > 0, "no random value was refused: the generator makes no hostile values");
        Assert.True(accepted + refused == 60);
    }

    [Fact]
    public void Sweep_grid_values_reach_training_as_exactly_one_argument_each()
    {
        var rng = new Random(7);
        int accepted = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            string value = RandomValue(rng);
            string grid = "data.target=" + value;
            var config = _tmp.Write($"s{trial}.yaml", Cli.Cli.TinyYaml("sw"));
            string runs = _tmp[$"sruns{trial}"];
            var host = new CliHost { Environment = new Dictionary<string, string>(), Commands = new FakeCommands().On("sbatch", "77\n"), Hpclearn = [Path.Combine(_bin, "hpclearn")] };
            var r = Cli.Cli.Run(host, "sweep", config, "--out", runs, "--grid", grid);
            if (r.ExitCode == 2)
            {
                Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                continue;
            }
            Assert.True(r.ExitCode == 0, $"value {Escaped(value)}: {r}");
            accepted++;
            string sweepDir = Path.Combine(runs, "sw-sweep");
            var intended = SweepGrid.Parse([grid]).Axes[0].Values[0];
            var expected = new[] { "train", Path.Combine(sweepDir, "base.yaml"), "--out", sweepDir, "--resume-if-possible", "--set", "name=0", "--set", "data.target=" + intended };
            RunScript(File.ReadAllText(Path.Combine(sweepDir, "sweep.sbatch")), value, expected, null, "0");
        }
        Assert.True(accepted > 0, "no grid value was accepted: the test checks nothing");
    }

    [Theory]
    [InlineData("submit", "--set", "name=\"x\\ntouch PWNED #\"")]
    [InlineData("submit", "--partition", "gpu\npwn #")]
    [InlineData("submit", "--set", "cluster.account=\"a\\npwn #\"")]
    [InlineData("submit", "--set", "cluster.partition=\"gpu\\npwn #\"")]
    [InlineData("submit", "--set", "cluster.modules=[\"foo\\npwn\"]")]
    [InlineData("submit", "--set", "cluster.setup=[\"echo ok\\rpwn\"]")]
    [InlineData("sweep", "--grid", "data.target=a\tb,c")]
    [InlineData("sweep", "--grid", "data.target=a\nb")]
    public void The_reported_injections_are_refused_with_one_line(string command, string flag, string value)
    {
        var config = _tmp.Write("r.yaml", Cli.Cli.TinyYaml("r"));
        var host = new CliHost { Environment = new Dictionary<string, string>(), Commands = new FakeCommands().On("sbatch", "5\n"), Hpclearn = ["hpclearn"] };
        string[] args = command == "sweep"
            ? ["sweep", config, "--out", _tmp["runs"], "--dry-run", flag, value]
            : ["submit", config, "--out", _tmp["runs"], "--dry-run", flag, value];
        var r = Cli.Cli.Run(host, args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("pwn", r.Out);
    }

    [Fact]
    public void A_module_item_is_arguments_to_module_never_a_command()
    {
        var config = _tmp.Write("m.yaml", Cli.Cli.TinyYaml("m") + "cluster: {modules: [\"foo; pwn\", \"gcc/12 $(pwn)\"]}\n");
        var host = new CliHost { Environment = new Dictionary<string, string>(), Hpclearn = [Path.Combine(_bin, "hpclearn")] };
        var r = Cli.Cli.Run(host, "submit", config, "--out", _tmp["runs"], "--dry-run").AssertOk();
        Assert.Contains("\nmodule load 'foo;' pwn\nmodule load gcc/12 '$(pwn)'\n", r.Out);
        RunScript(r.Out, "modules", ["train", Path.Combine(_tmp["runs"], "m", "job.yaml"), "--out", _tmp["runs"], "--resume-if-possible"],
            ["load", "foo;", "pwn", "load", "gcc/12", "$(pwn)"]);
    }

    private (CliResult Result, string Runs, string Yaml) Submit(string field, string value, int trial)
    {
        string runs = _tmp[$"runs{trial}"];
        var yaml = new StringBuilder("task: tabular\n");
        yaml.Append("name: ").Append(field == "name" ? YamlString(value) : "inj").Append('\n');
        yaml.Append("data: {builtin_rows: 300}\n");
        if (field.StartsWith("cluster.", StringComparison.Ordinal))
        {
            string key = field["cluster.".Length..];
            string v = key is "modules" or "extra_sbatch" ? $"[{YamlString(key == "extra_sbatch" ? "--comment=" + value : value)}]" : YamlString(value);
            yaml.Append("cluster: {").Append(key).Append(": ").Append(v).Append("}\n");
        }
        var config = _tmp.Write($"c{trial}-{field.Replace('.', '_').TrimStart('-')}.yaml", yaml.ToString());
        var host = new CliHost { Environment = new Dictionary<string, string>(), Hpclearn = [Path.Combine(_bin, "hpclearn")] };
        var args = new List<string> { "submit", config, "--dry-run" };
        if (field == "--out")
        {
            runs = Path.GetFullPath(Path.Combine(_tmp.Path, $"o{trial}", value.Replace("\0", "", StringComparison.Ordinal)));
            args.AddRange(["--out", Path.Combine(_tmp.Path, $"o{trial}", value)]);
        }
        else args.AddRange(["--out", runs]);
        if (field == "--partition") args.AddRange(["--partition", value]);
        return (Cli.Cli.Run(host, [.. args]), runs, yaml.ToString());
    }

    // bash -n accepts the script; run for real (stub commands first on PATH), the canary never runs,
    // hpclearn gets exactly the expected arguments and module (if any) the expected words.
    private void RunScript(string script, string value, string[] expectedArgv, string[]? expectedModule, string? arg = null)
    {
        string path = _tmp["job.sbatch"];
        File.WriteAllText(path, script);
        File.Delete(_tmp["hpclearn.argv"]);
        File.Delete(_tmp["module.argv"]);
        var (check, checkOut) = Bash(["-n", path]);
        Assert.True(check == 0, $"bash -n refused the script for {Escaped(value)}: {checkOut}\n{script}");
        var (rc, output) = Bash(arg is null ? [path] : [path, arg]);
        Assert.False(File.Exists(_canary), $"the value {Escaped(value)} ran a command:\n{script}");
        Assert.True(rc == 0, $"the script for {Escaped(value)} exited {rc}: {output}\n{script}");
        Assert.Equal(expectedArgv, ReadArgv(_tmp["hpclearn.argv"]));
        if (expectedModule is not null) Assert.Equal(expectedModule, ReadArgv(_tmp["module.argv"]));
    }

    private static string[] ReadArgv(string file) =>
        File.Exists(file) ? File.ReadAllText(file).Split('\0')[..^1] : ["(not run)"];

    private (int Code, string Output) Bash(string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _tmp.Path };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        psi.Environment["PATH"] = $"{_bin}:/usr/bin:/bin";
        psi.Environment["HOME"] = _tmp.Path;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }

    private void Stub(string name, string body)
    {
        string file = Path.Combine(_bin, name);
        File.WriteAllText(file, $"#!/bin/bash\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Escaped(string value) => string.Concat(value.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}
