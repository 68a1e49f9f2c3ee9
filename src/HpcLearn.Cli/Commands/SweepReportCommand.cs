using System.CommandLine;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn sweep-report DIR</c>: ranks a sweep's finished runs; writes ranking.csv and ranking.md.</summary>
internal static class SweepReportCommand
{
    public static Command Create(TextWriter stdout)
    {
        var dir = new Argument<string>("dir") { Description = "the sweep folder (runs/<name>-sweep), or any folder of run folders" };
        var cmd = new Command("sweep-report", "rank the finished runs of a sweep by their validation metric (writes ranking.csv and ranking.md)") { dir };
        cmd.SetAction(r =>
        {
            string folder = r.GetValue(dir)!;
            var ranking = SweepRanking.Read(folder);
            ranking.Write(folder);
            stdout.Write(ranking.ToMarkdown());
            stdout.WriteLine();
            stdout.WriteLine($"written: {Path.Combine(folder, "ranking.csv")}, {Path.Combine(folder, "ranking.md")}");
            return CliApp.Ok;
        });
        return cmd;
    }
}
