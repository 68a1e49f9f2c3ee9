using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace HpcLearn.Tests.Examples;

/// <summary>examples/csharp is built with the tests; this runs it and checks what it prints.</summary>
public class ExampleProgramTests
{
    [Fact]
    public void CSharpExampleTrainsAndBeatsTheBaseline()
    {
        // Same layout as this assembly: <project>/bin/<Configuration>/net10.0/<rid>/
        string here = Path.GetDirectoryName(typeof(ExampleProgramTests).Assembly.Location)!;
        string dll = Path.Combine(here.Replace(Path.Combine("tests", "HpcLearn.Tests"), Path.Combine("examples", "csharp")), "TabularExample.dll");
        Assert.True(File.Exists(dll), $"example not built at {dll}");

        var psi = new ProcessStartInfo("dotnet", [dll, "3"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();

        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{stdout}\n{stderr}");
        var m = Regex.Match(stdout, @"accuracy=([0-9.]+) baseline=([0-9.]+)");
        Assert.True(m.Success, stdout);
        double acc = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        double baseline = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(acc > baseline + 0.1, $"accuracy {acc} vs baseline {baseline}");
        Assert.Contains("suggested learning rate", stdout);
    }
}
