using System.CommandLine;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn cluster DATA [--k 8 | --k 2..12] [--columns a,b] [--standardize] [--algorithm minibatch --stream] ...</c>: the short
/// form of <c>hpclearn train</c> with <c>task: cluster</c>. The flags fill a <see cref="ClusterConfig"/> and <see cref="ClusterTask"/>
/// runs it into the run folder <c>--out</c>; under mpirun or srun, k-means and mini-batch k-means split the rows over the ranks.
/// With <c>--submit</c> the same command runs as a Slurm job (<see cref="ClusterJob"/>).
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var data = new Argument<string>("data") { Description = "CSV or JSON table; its numeric columns are clustered" };
        var algorithm = new Option<string>("--algorithm") { Description = "kmeans, minibatch (mini-batch k-means), gmm (Gaussian mixture) or dbscan; under mpirun/srun kmeans and minibatch split the rows over the ranks", DefaultValueFactory = _ => "kmeans" };
        var elkan = new Option<bool>("--elkan") { Description = "kmeans: skip distances with Elkan's triangle-inequality bounds (same clustering)" };
        var batchSize = new Option<int>("--batch-size") { Description = "minibatch: points per mini-batch", DefaultValueFactory = _ => 1024 };
        var epochs = new Option<int>("--epochs") { Description = "minibatch: passes over the data", DefaultValueFactory = _ => 5 };
        var stream = new Option<bool>("--stream") { Description = "minibatch: read the CSV in chunks of --chunk-rows rows instead of loading it, for data larger than memory (metrics and plot on a 10,000-row sample)" };
        var chunkRows = new Option<int>("--chunk-rows") { Description = "--stream: rows per chunk held in memory (points are shuffled within a chunk)", DefaultValueFactory = _ => 65536 };
        var threads = CommonOptions.Threads();
        var k = new Option<string?>("--k") { Description = "number of clusters (default 8), or a range like 2..12: fits each, keeps the best silhouette (kmeans) or the lowest BIC (gmm); not for dbscan" };
        var covariance = new Option<string>("--covariance") { Description = "gmm covariances: full, diag or spherical", DefaultValueFactory = _ => "full" };
        var eps = new Option<double>("--eps") { Description = "dbscan neighbourhood radius (in standardised units with --standardize)", DefaultValueFactory = _ => 0.5 };
        var minSamples = new Option<int>("--min-samples") { Description = "dbscan points within eps, itself included, that make a core point", DefaultValueFactory = _ => 5 };
        var columns = new Option<string?>("--columns") { Description = "comma-separated columns to cluster on (default: every numeric column but --labels)" };
        var standardize = new Option<bool>("--standardize") { Description = "scale each column to mean 0, standard deviation 1 first (constant columns become 0)" };
        var nInit = new Option<int>("--n-init") { Description = "k-means or gmm restarts; the lowest inertia (highest likelihood) wins", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 42 };
        var outDir = CommonOptions.Out("the run folder (default: runs/cluster-<file stem>); must not exist or be empty");
        var labels = new Option<string?>("--labels") { Description = "column of known labels: reports ARI and NMI against it (never clustered on)" };
        var dropMissing = new Option<bool>("--drop-missing") { Description = "drop rows with missing values instead of refusing the file" };
        var submit = new Option<bool>("--submit") { Description = "run this clustering as a Slurm job instead (sbatch): job.sbatch, job.log and job.id go into the output folder; takes --nodes, --ntasks-per-node, --cpus-per-task, --time, --partition" };
        var dryRun = new Option<bool>("--dry-run") { Description = "with --submit: print the job script and the pre-flight findings; write and submit nothing" };
        var json = new Option<bool>("--json") { Description = "print k, algorithm, metrics, cluster sizes and output paths as JSON instead of the progress lines" };
        var job = new JobOptions();
        var cmd = new Command("cluster", "cluster a table (k-means, mini-batch k-means, Gaussian mixture or DBSCAN): assignments, centres, metrics beside a random assignment, plots and a model for 'hpclearn predict'; "
            + "the short form of 'hpclearn train' with a 'task: cluster' config (the run folder holds that config.yaml; 'hpclearn tasks cluster' lists its keys)")
        {
            data, algorithm, k, covariance, eps, minSamples, columns, standardize, nInit, seed, outDir, labels, dropMissing, elkan, batchSize, epochs, stream, chunkRows, threads, json, submit, dryRun,
        };
        job.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var algo = ClusterRunOptions.ParseAlgorithm(r.GetValue(algorithm)!);
            var given = job.Given(r);
            if (!r.GetValue(submit) && (given.Count > 0 || r.GetValue(dryRun)))
                throw new UserError($"{(r.GetValue(dryRun) ? "--dry-run" : "--" + given.First().Replace('_', '-'))} applies to a job: add --submit");
            bool asJson = r.GetValue(json);
            if (asJson && r.GetValue(submit))
                throw new UserError("--json does not apply to --submit (the job runs later); run 'hpclearn cluster ... --json' without --submit, or read the job's summary.json");
            if (r.GetValue(submit))
            {
                var resources = job.Apply(new ClusterOptions(), r);
                if (resources.Nodes * resources.NtasksPerNode > 1 && algo is ClusterAlgorithm.GaussianMixture or ClusterAlgorithm.Dbscan)
                    throw new UserError($"--algorithm {r.GetValue(algorithm)} runs on one process, but the job asks for {resources.Nodes * resources.NtasksPerNode} tasks; only kmeans and minibatch split the rows over ranks");
                return ClusterJob.Submit(r, [submit, dryRun, .. job.All], outDir, threads, r.GetValue(data)!, r.GetValue(dryRun), resources, stdout, host);
            }
            string? kText = r.GetValue(k);
            if (algo == ClusterAlgorithm.Dbscan && kText is not null)
                throw new UserError("--k does not apply to dbscan, which finds the number of clusters itself; set --eps and --min-samples instead");
            var (kMin, kMax) = ClusterRunOptions.ParseK(kText ?? "8");
            if (r.GetValue(batchSize) < 1) throw new UserError($"--batch-size must be at least 1 (got {r.GetValue(batchSize)})");
            if (r.GetValue(chunkRows) < 1) throw new UserError($"--chunk-rows must be at least 1 (got {r.GetValue(chunkRows)})");
            if (r.GetValue(epochs) < 1) throw new UserError($"--epochs must be at least 1 (got {r.GetValue(epochs)})");
            if (r.GetValue(nInit) < 1) throw new UserError($"--n-init must be at least 1 (got {r.GetValue(nInit)})");
            if (r.GetValue(stream) && algo != ClusterAlgorithm.MiniBatchKMeans)
                throw new UserError("--stream runs mini-batch k-means only, which needs one chunk of rows at a time; add --algorithm minibatch (or leave out --stream)");
            if (r.GetValue(stream) && kMax > kMin)
                throw new UserError($"--stream fits one k (got the range {kMin}..{kMax}); choose k on a sample of the file in memory, then stream with that --k");
            if (algo == ClusterAlgorithm.Dbscan) new DbscanOptions { Eps = r.GetValue(eps), MinSamples = r.GetValue(minSamples) }.Validate();
            // --out names the run folder itself: its parent is the folder of runs, its name the run's.
            string folder = Path.TrimEndingDirectorySeparator(r.GetValue(outDir) ?? ClusterRunOptions.DefaultOutDir(r.GetValue(data)!));
            // The short form of 'train' with task: cluster: the flags fill the same config, and the task writes the run folder.
            var config = new ClusterConfig
            {
                Name = Path.GetFileName(folder),
                Seed = r.GetValue(seed),
                Threads = r.GetValue(threads),
                Data = new ClusterDataOptions
                {
                    Path = r.GetValue(data)!,
                    Columns = r.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList() ?? [],
                    Labels = r.GetValue(labels),
                    Standardize = r.GetValue(standardize),
                    DropMissing = r.GetValue(dropMissing),
                    Stream = r.GetValue(stream),
                    ChunkRows = r.GetValue(chunkRows),
                },
                Model = new ClusterModelOptions
                {
                    Algorithm = algo,
                    K = kText ?? new ClusterModelOptions().K,
                    NInit = r.GetValue(nInit),
                    Elkan = r.GetValue(elkan),
                    BatchSize = r.GetValue(batchSize),
                    Epochs = r.GetValue(epochs),
                    Covariance = ClusterRunOptions.ParseCovariance(r.GetValue(covariance)!),
                    Eps = r.GetValue(eps),
                    MinSamples = r.GetValue(minSamples),
                },
            };
            // Under mpirun or srun every rank runs this; rank 0 alone prints and writes.
            var cluster = ClusterEnvironment.Detect(host.Environment, host.RunLine, host.Clock);
            using var comm = Communicator.Create(cluster, host.Environment);
            if (ClusterTask.OutputFolderTaken(folder))
                throw new UserError($"output folder '{folder}' already exists and is not empty; choose another --out or remove it");
            var log = comm.Rank == 0 && !asJson ? stdout : TextWriter.Null;
            if (cluster.Kind != ClusterKind.Local) log.WriteLine($"cluster: {cluster.Description}");
            CommonOptions.ApplyThreads(r.GetValue(threads), log, cluster, host.Environment);
            var summary = new ClusterTask().Train(config, new RunContext
            {
                Out = log, RunsRoot = Path.GetDirectoryName(folder) ?? "", Environment = host.Environment, Communicator = comm,
            });
            string written = summary.RunDir;
            if (asJson && comm.Rank == 0) stdout.WriteLine(ClusterJson.Of(written));
            return CliApp.Ok;
        });
        return cmd;
    }
}
