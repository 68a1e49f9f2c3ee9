using System.CommandLine;
using HpcLearn.Runs.Reports;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn report RUN_DIR</c> and <c>hpclearn report --compare RUN_A RUN_B ... [--out FILE]</c>.</summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var runs = new Argument<string[]>("run") { Description = "run folder (e.g. runs/quickstart); with --compare, two or more", Arity = ArgumentArity.OneOrMore };
        var compare = new Option<bool>("--compare") { Description = "lay several runs side by side in one page instead of rebuilding one run's report.html" };
        var outFile = CommonOptions.Out($"with --compare: the page to write (default {RunReport.CompareFileName} in the current folder)");
        var cmd = new Command("report", "rebuild a run's self-contained report.html (metrics vs baseline, curves, calibration, groups), or compare runs")
        {
            runs, compare, outFile,
        };
        cmd.SetAction(r =>
        {
            string[] dirs = r.GetValue(runs) ?? [];
            string? outPath = r.GetValue(outFile);
            if (r.GetValue(compare))
            {
                stdout.WriteLine(RunReport.Compare(dirs, outPath ?? RunReport.CompareFileName));
                return CliApp.Ok;
            }
            if (dirs.Length != 1)
                throw new UserError($"report takes one run folder, got {dirs.Length}; to lay several side by side add --compare");
            if (outPath is not null)
                throw new UserError("--out applies to --compare only; a run's report is always written to RUN_DIR/report.html");
            stdout.WriteLine(RunReport.Build(dirs[0]));
            return CliApp.Ok;
        });
        return cmd;
    }
}
