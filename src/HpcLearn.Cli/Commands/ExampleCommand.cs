using System.CommandLine;
using HpcLearn.Config;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn example [NAME] [--out DIR]</c>: the example configs of the repository's examples/ folder,
/// shipped inside the tool (embedded resources), so that an installed <c>hpclearn</c> can start from
/// them without a clone. No name: the list, each with its first comment line. A name: NAME.yaml in DIR.
/// </summary>
internal static class ExampleCommand
{
    private const string Prefix = "examples/";

    public static Command Create(TextWriter stdout)
    {
        var name = new Argument<string?>("name") { Description = "example to write (no name: list them)", Arity = ArgumentArity.ZeroOrOne };
        var outDir = CommonOptions.Out("folder to write NAME.yaml into (default: the current folder); an existing file is never overwritten");
        var cmd = new Command("example", "list the example configs shipped with hpclearn, or write one (NAME.yaml) to start from") { name, outDir };
        cmd.SetAction(r =>
        {
            var all = Names();
            if (r.GetValue(name) is not { } wanted)
            {
                int width = all.Max(n => n.Length);
                foreach (var n in all) stdout.WriteLine($"  {n.PadRight(width)}  {Description(Read(n))}".TrimEnd());
                stdout.WriteLine("write one with: hpclearn example NAME [--out DIR]");
                return CliApp.Ok;
            }
            if (wanted.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)) wanted = wanted[..^5];
            if (!all.Contains(wanted))
                throw new UserError($"unknown example '{wanted}'" +
                    (KeySuggestion.Nearest(wanted, all) is { } near ? $"; did you mean '{near}'?" : "") + " ('hpclearn example' lists them)");
            string dir = r.GetValue(outDir) ?? ".";
            string path = Path.Combine(dir, wanted + ".yaml");
            if (File.Exists(path)) throw new UserError($"'{path}' already exists; not overwritten: remove it or choose another --out");
            string text = Read(wanted);
            Directory.CreateDirectory(dir);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write)) // CreateNew: never overwrite, even in a race
            using (var w = new StreamWriter(file)) w.Write(text);
            stdout.WriteLine($"wrote {path}");
            // The example's own header says what it needs (a download, a data folder) before it trains;
            // its commands name the repository's copy, so they are shown with the file just written.
            string self = Environment.GetEnvironmentVariable("HPCLEARN_INVOKED_AS") ?? "hpclearn";
            foreach (var line in text.Split('\n').TakeWhile(l => l.StartsWith('#')))
                stdout.WriteLine("  " + line.TrimEnd('\r').Replace($"examples/{wanted}.yaml", path).Replace("./hpclearn ", self + " "));
            stdout.WriteLine($"next: {self} train {path}");
            return CliApp.Ok;
        });
        return cmd;
    }

    /// <summary>The example names (file stems), sorted.</summary>
    internal static List<string> Names() =>
        [.. typeof(ExampleCommand).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^5]).Order(StringComparer.Ordinal)];

    private static string Read(string name)
    {
        using var s = typeof(ExampleCommand).Assembly.GetManifestResourceStream(Prefix + name + ".yaml")!;
        using var reader = new StreamReader(s);
        return reader.ReadToEnd();
    }

    // The first comment line, without the '#'.
    private static string Description(string yaml) =>
        yaml.Split('\n').FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Trim() ?? "";
}
