using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using HpcLearn.Tests.Tasks.Tabular;
using Xunit;
using Xunit.Abstractions;

namespace HpcLearn.Tests.Packaging;

/// <summary>
/// The library as a C# user gets it: pack src/HpcLearn, make a fresh console app that adds the
/// package, paste the README's C# snippet as Program.cs, run it. Takes a few minutes (pack,
/// restore, build, a short training run). Offline-safe when the global packages folder already
/// holds the dependencies, which the repository's own build puts there.
/// </summary>
public class PackageTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "package")]
    public void ReadmeSnippetRunsInAFreshConsoleAppThatReferencesThePackage()
    {
        string root = RepoPaths.Root;
        string snippet = ReadmeSnippet(root);
        // A version no earlier run used, so the global packages folder never serves a stale HpcLearn;
        // that one folder is deleted at the end.
        string version = $"0.0.0-test.{DateTime.UtcNow.Ticks}";
        using var tmp = new TempFolder();
        string feed = tmp["feed"], app = tmp["MyModel"];
        try
        {
            Dotnet(root, "pack", Path.Combine(root, "src", "HpcLearn"), "--disable-build-servers", "-c", "Release", "-o", feed, $"-p:PackageVersion={version}");
            string nupkg = Path.Combine(feed, $"HpcLearn.{version}.nupkg");
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                foreach (var file in new[] { "buildTransitive/HpcLearn.targets", "buildTransitive/WeakenSymbolVersion.cs", "build/HpcLearn.targets", "README.md" })
                    Assert.True(entries.Contains(file), $"{file} missing from {nupkg}: {string.Join(", ", entries)}");
            }

            // The temp folder's own Directory.Build.* stop MSBuild from picking up any above it.
            tmp.Write("Directory.Build.props", "<Project />\n");
            tmp.Write("Directory.Build.targets", "<Project />\n");
            tmp.Write("nuget.config", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="hpclearn-test" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            Dotnet(tmp.Path, "new", "console", "-o", app, "--no-restore", "--no-update-check");
            Dotnet(app, "add", "package", "HpcLearn", "--version", version);
            File.WriteAllText(Path.Combine(app, "Program.cs"), snippet);

            string stdout = Dotnet(app, "run", "--disable-build-servers");

            Assert.DoesNotContain("doesn't contain a reference", stdout);
            Assert.Matches(@"row 0: p\(yes\) = [01]\.\d{3}", stdout);
            var m = Regex.Match(stdout, @"accuracy ([0-9.]+), baseline ([0-9.]+)");
            Assert.True(m.Success, stdout);
            double acc = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            double baseline = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(acc > baseline + 0.1, $"accuracy {acc} vs baseline {baseline}");
            Assert.True(File.Exists(Path.Combine(app, "runs", "churn", "model", "model.json")));
        }
        finally
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            try { Directory.Delete(Path.Combine(packages, "hpclearn", version), recursive: true); }
            catch (DirectoryNotFoundException) { }
        }
    }

    [Fact]
    public void PackageReadmeShowsTheSameSnippetAsTheReadme()
    {
        string root = RepoPaths.Root;
        string packageReadme = File.ReadAllText(Path.Combine(root, "docs", "package-readme.md"));
        Assert.Contains("```csharp\n" + ReadmeSnippet(root) + "```", packageReadme);
    }

    /// <summary>The C# code block between README.md's csharp-snippet markers.</summary>
    private static string ReadmeSnippet(string root)
    {
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var m = Regex.Match(readme, @"<!-- csharp-snippet:start[^>]*-->\s*```csharp\n(.*?)```\s*<!-- csharp-snippet:end -->", RegexOptions.Singleline);
        Assert.True(m.Success, "README.md has no ```csharp block between <!-- csharp-snippet:start --> and <!-- csharp-snippet:end -->");
        return m.Groups[1].Value;
    }

    /// <summary>Runs one dotnet command; asserts exit 0 and returns its standard output.</summary>
    private string Dotnet(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No build servers or reused MSBuild nodes: they would outlive the test and keep its pipes open.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["TERM"] = "dumb";
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string all = $"$ dotnet {string.Join(' ', args)}   (in {workingDirectory})\n{stdout}\n{stderr.Result}";
        output.WriteLine(all);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{all}");
        return stdout;
    }
}
