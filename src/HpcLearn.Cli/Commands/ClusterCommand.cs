using System.CommandLine;
using HpcLearn.Tasks.Cluster;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn cluster DATA [--k 8 | --k 2..12] [--columns a,b] [--standardize] ...</c>.</summary>
internal static class ClusterCommand
{
    public static Command Create(TextWriter stdout)
    {
        var data = new Argument<string>("data") { Description = "CSV or JSON table; its numeric columns are clustered" };
        var algorithm = new Option<string>("--algorithm") { Description = "kmeans, gmm (Gaussian mixture) or dbscan", DefaultValueFactory = _ => "kmeans" };
        var k = new Option<string?>("--k") { Description = "number of clusters (default 8), or a range like 2..12: fits each, keeps the best silhouette (kmeans) or the lowest BIC (gmm); not for dbscan" };
        var covariance = new Option<string>("--covariance") { Description = "gmm covariances: full, diag or spherical", DefaultValueFactory = _ => "full" };
        var eps = new Option<double>("--eps") { Description = "dbscan neighbourhood radius (in standardised units with --standardize)", DefaultValueFactory = _ => 0.5 };
        var minSamples = new Option<int>("--min-samples") { Description = "dbscan points within eps, itself included, that make a core point", DefaultValueFactory = _ => 5 };
        var columns = new Option<string?>("--columns") { Description = "comma-separated columns to cluster on (default: every numeric column but --labels)" };
        var standardize = new Option<bool>("--standardize") { Description = "scale each column to mean 0, standard deviation 1 first (constant columns become 0)" };
        var nInit = new Option<int>("--n-init") { Description = "k-means or gmm restarts; the lowest inertia (highest likelihood) wins", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 42 };
        var outDir = CommonOptions.Out("output folder (default: runs/cluster-<file stem>); must not exist or be empty");
        var labels = new Option<string?>("--labels") { Description = "column of known labels: reports ARI and NMI against it (never clustered on)" };
        var dropMissing = new Option<bool>("--drop-missing") { Description = "drop rows with missing values instead of refusing the file" };
        var cmd = new Command("cluster", "cluster a table (k-means, Gaussian mixture or DBSCAN): assignments, centres, metrics, plots and a model for 'hpclearn predict'")
        {
            data, algorithm, k, covariance, eps, minSamples, columns, standardize, nInit, seed, outDir, labels, dropMissing,
        };
        cmd.SetAction(r =>
        {
            var algo = ClusterRunOptions.ParseAlgorithm(r.GetValue(algorithm)!);
            string? kText = r.GetValue(k);
            if (algo == ClusterAlgorithm.Dbscan && kText is not null)
                throw new UserError("--k does not apply to dbscan, which finds the number of clusters itself; set --eps and --min-samples instead");
            var (kMin, kMax) = ClusterRunOptions.ParseK(kText ?? "8");
            if (algo == ClusterAlgorithm.Dbscan) (kMin, kMax) = (1, 1);
            ClusterRun.Run(new ClusterRunOptions
            {
                Algorithm = algo,
                Covariance = ClusterRunOptions.ParseCovariance(r.GetValue(covariance)!),
                Eps = r.GetValue(eps),
                MinSamples = r.GetValue(minSamples),
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
