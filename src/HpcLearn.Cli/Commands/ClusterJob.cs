using System.CommandLine;
using System.CommandLine.Parsing;
using HpcLearn.Cluster;
using HpcLearn.Cluster.Preflight;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Tasks.Clustering;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn cluster DATA [options] --submit [--nodes N …] [--dry-run]</c>: the same clustering as a
/// Slurm job. The job script runs <c>hpclearn cluster</c> with the options as given (less the job's
/// own) and <c>--out</c> as an absolute path; <c>job.sbatch</c>, <c>job.log</c> and <c>job.id</c> go into
/// that output folder, which the job then fills.
/// </summary>
internal static class ClusterJob
{
    /// <summary>Writes and submits the job (or prints it with <c>--dry-run</c>); returns the exit code.</summary>
    /// <param name="r">The parsed <c>cluster</c> command line.</param>
    /// <param name="jobOnly">The options that describe the job, not the clustering (left out of the job's command line).</param>
    public static int Submit(ParseResult r, IReadOnlyCollection<Option> jobOnly, Option<string> outDir, Option<int?> threads,
        string dataPath, bool dryRun, ClusterOptions cluster, TextWriter stdout, CliHost host)
    {
        string folder = Path.GetFullPath(r.GetValue(outDir) ?? ClusterRunOptions.DefaultOutDir(dataPath));
        if (ClusterTask.OutputFolderTaken(folder))
            throw new UserError($"output folder '{folder}' already exists and is not empty; choose another --out or remove it");
        string scriptPath = Path.Combine(folder, RunFolder.JobFilePrefix + "sbatch");
        string logPath = Path.Combine(folder, RunFolder.JobFilePrefix + "log");
        var script = JobScript.Render(new JobSpec
        {
            Name = Path.GetFileName(folder),
            WorkDirectory = Directory.GetCurrentDirectory(),
            LogPath = logPath,
            ScriptPath = scriptPath,
            Command = [.. host.HpclearnCommand, "cluster", .. Words(r, [.. jobOnly, outDir]), "--out", folder],
            Cluster = cluster,
        });
        var plan = new PreflightPlan
        {
            Cluster = cluster,
            // No config here: every resource is a flag (or its default), so messages name the flags.
            Flags = new HashSet<string> { "nodes", "ntasks_per_node", "cpus_per_task", "time", "partition" },
            Threads = r.GetValue(threads),
            ThreadsName = "--threads",
            Inputs = [("DATA", dataPath)],
            WorkDirectory = Directory.GetCurrentDirectory(),
            OutputFolder = folder,
        };
        if (dryRun)
        {
            stdout.Write(script);
            JobCheck.WriteComments(plan, host, stdout);
            return CliApp.Ok;
        }
        var warnings = JobCheck.Enforce(plan, host, "add --dry-run to list them all");
        WriteFailure.CreateDirectory(folder);
        AtomicFile.WriteAllText(scriptPath, script);
        string id = new SlurmClient(host.Commands).Submit(scriptPath);
        AtomicFile.WriteAllText(Path.Combine(folder, RunStatus.JobIdFile), id);
        stdout.WriteLine($"submitted job {id}: {scriptPath}");
        stdout.WriteLine($"log: {logPath}");
        stdout.WriteLine($"results: {folder}");
        JobCheck.Warn(warnings, r);
        return CliApp.Ok;
    }

    // The command line as the user gave it, option by option, less the options of the job itself.
    private static List<string> Words(ParseResult r, IReadOnlyCollection<Option> leaveOut)
    {
        var words = new List<string>();
        foreach (var child in r.CommandResult.Children)
        {
            if (child is ArgumentResult a) words.AddRange(a.Tokens.Select(t => t.Value));
            else if (child is OptionResult { Implicit: false } o && !leaveOut.Contains(o.Option))
            {
                words.Add(o.Option.Name);
                words.AddRange(o.Tokens.Select(t => t.Value));
            }
        }
        return words;
    }
}
