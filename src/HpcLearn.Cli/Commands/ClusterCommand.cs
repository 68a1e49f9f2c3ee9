using System.CommandLine;
using HpcLearn.Tasks.Cluster;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn cluster DATA [--k 8 | --k 2..12] [--columns a,b] [--standardize] ...</c>.</summary>
internal static class ClusterCommand
{
    public static Command Create(TextWriter stdout)
    {
        var data = new Argument<string>("data") { Description = "CSV or JSON table; its numeric columns are clustered" };
        var k = new Option<string>("--k") { Description = "number of clusters, or a range like 2..12 (fits each, keeps the best silhouette)", DefaultValueFactory = _ => "8" };
        var columns = new Option<string?>("--columns") { Description = "comma-separated columns to cluster on (default: every numeric column but --labels)" };
        var standardize = new Option<bool>("--standardize") { Description = "scale each column to mean 0, standard deviation 1 first (constant columns become 0)" };
        var nInit = new Option<int>("--n-init") { Description = "k-means restarts; the lowest inertia wins", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 42 };
        var outDir = CommonOptions.Out("output folder (default: runs/cluster-<file stem>); must not exist or be empty");
        var labels = new Option<string?>("--labels") { Description = "column of known labels: reports ARI and NMI against it (never clustered on)" };
        var dropMissing = new Option<bool>("--drop-missing") { Description = "drop rows with missing values instead of refusing the file" };
        var cmd = new Command("cluster", "k-means clustering of a table: assignments, centres, metrics, plots and a model for 'hpclearn predict'")
        {
            data, k, columns, standardize, nInit, seed, outDir, labels, dropMissing,
        };
        cmd.SetAction(r =>
        {
            var (kMin, kMax) = ClusterRunOptions.ParseK(r.GetValue(k)!);
            ClusterRun.Run(new ClusterRunOptions
            {
                DataPath = r.GetValue(data)!,
                KMin = kMin,
                KMax = kMax,
                Columns = r.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Standardize = r.GetValue(standardize),
                NInit = r.GetValue(nInit),
                Seed = r.GetValue(seed),
                OutDir = r.GetValue(outDir),
                LabelsColumn = r.GetValue(labels),
                DropMissing = r.GetValue(dropMissing),
            }, stdout);
            return CliApp.Ok;
        });
        return cmd;
    }
}
