using System.CommandLine;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Cluster.Sweeps;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn sweep CONFIG --grid key=v1,v2 ...</c>: one Slurm job array over the grid (or a
/// random sample of it), one run folder per point under <c>runs/&lt;name&gt;-sweep/</c>.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var config = new Argument<string?>("config")
        {
            Description = "YAML config file (the values every point shares)", Arity = ArgumentArity.ZeroOrOne,
        };
        var grid = new Option<string[]>("--grid") { Description = "a swept key and its values, e.g. --grid train.lr=1e-3,3e-3 --grid model.layers=[64],[128] (repeatable)" };
        var samples = new Option<int?>("--samples") { Description = "random search: this many different points drawn from the grid" };
        var seed = new Option<int>("--seed") { Description = "seed of the --samples draw (default 0)" };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "at most this many points run at once (the array's %K)" };
        var set = new Option<string[]>("--set") { Description = "override a config key for every point (repeatable)" };
        var outDir = CommonOptions.Out("folder that holds run folders (the sweep folder is <out>/<name>-sweep)", "runs");
        var dryRun = new Option<bool>("--dry-run") { Description = "print the job script and the point table; write and submit nothing" };
        var rerunFailed = new Option<string?>("--rerun-failed")
        {
            Description = "submit a sweep's failed points again, as a new array over those points (e.g. --rerun-failed runs/penguins-sweep; no config)",
            HelpName = "sweep-dir",
        };
        var job = new JobOptions();
        var cmd = new Command("sweep", "train one run per point of a hyper-parameter grid, as one Slurm job array")
        {
            config, grid, samples, seed, maxParallel, set, outDir, dryRun, rerunFailed,
        };
        job.AddTo(cmd);
        cmd.SetAction(r =>
        {
            if (r.GetValue(rerunFailed) is { } rerunDir)
            {
                if (r.GetValue(config) is not null || (r.GetValue(grid) ?? []).Length > 0)
                    throw new UserError("--rerun-failed takes the sweep folder alone: the points, config and job script are the sweep's own; give no config or --grid");
                return SweepRerun.Run(rerunDir, r.GetValue(dryRun), stdout, host);
            }
            string configPath = r.GetValue(config)
                ?? throw new UserError("sweep: give a config file (hpclearn sweep CONFIG --grid KEY=V1,V2), or --rerun-failed SWEEP_DIR");
            var sets = r.GetValue(set) ?? [];
            var cfg = ConfigLoader.Load(configPath, sets, ConfigType, TaskNames());
            cfg = cfg with { Cluster = job.Apply(cfg.Cluster, r) };
            var parsed = SweepGrid.Parse(r.GetValue(grid) ?? []);
            var points = r.GetValue(samples) is { } n ? parsed.Sample(n, r.GetValue(seed)) : parsed.All();
            if (r.GetValue(maxParallel) is < 1) throw new UserError($"--max-parallel must be at least 1, got {r.GetValue(maxParallel)}");
            string baseYaml = ConfigWriter.ToYaml(cfg);
            foreach (var point in points) Check(baseYaml, point, parsed);

            string sweepDir = Path.Combine(Path.GetFullPath(r.GetValue(outDir)!), $"{cfg.RunName}-sweep");
            if (Directory.Exists(sweepDir) && Directory.EnumerateFileSystemEntries(sweepDir).Any())
                throw new UserError($"sweep folder '{sweepDir}' already exists; choose another name (--set name=...) or --out DIR");
            string basePath = Path.Combine(sweepDir, "base.yaml");
            string tablePath = Path.Combine(sweepDir, PointTable.FileName);
            string scriptPath = Path.Combine(sweepDir, "sweep.sbatch");
            string range = $"0-{points.Count - 1}" + (r.GetValue(maxParallel) is { } k ? $"%{k}" : "");
            var script = JobScript.Render(new JobSpec
            {
                Name = $"{cfg.RunName}-sweep",
                WorkDirectory = Directory.GetCurrentDirectory(),
                LogPath = Path.Combine(sweepDir, "%a", "job.log"),
                Command = [.. host.HpclearnCommand, "train", basePath, "--out", sweepDir, "--resume-if-possible"],
                PointTable = tablePath,
                ScriptPath = scriptPath,
                Array = range,
                Cluster = cfg.Cluster,
            });
            // The pre-flight check (hpclearn doctor) of the base config; every point shares its resources.
            var plan = JobCheck.ForRun(cfg, sweepDir, resume: false, job.Given(r), underSlurm: true);
            // A swept path is each point's own, not the base config's.
            plan = plan with { Inputs = plan.Inputs.Where(i => parsed.Axes.All(a => a.Key != i.Key)).ToList() };
            if (r.GetValue(dryRun))
            {
                stdout.Write(script);
                JobCheck.WriteComments(plan, host, stdout);
                stdout.WriteLine();
                stdout.WriteLine($"# {PointTable.FileName} ({points.Count} points: index, then the overrides of each):");
                stdout.Write(PointTable.Format(points));
                return CliApp.Ok;
            }
            var warnings = JobCheck.Enforce(plan, host, "'hpclearn doctor' on the config with the same flags lists them all");
            // Slurm opens each task's log before the task starts: the run folders must exist.
            foreach (var p in points) Directory.CreateDirectory(Path.Combine(sweepDir, p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            AtomicFile.WriteAllText(basePath, baseYaml);
            PointTable.Write(sweepDir, points);
            AtomicFile.WriteAllText(scriptPath, script);
            string id = new SlurmClient(host.Commands).Submit(scriptPath);
            SweepJobs.Add(sweepDir, id, range);
            stdout.WriteLine($"submitted job array {id} ({points.Count} points, {range}): {scriptPath}");
            foreach (var p in points) stdout.WriteLine($"  {p.Index}: {p}");
            stdout.WriteLine($"follow it: hpclearn status {sweepDir}");
            stdout.WriteLine($"rank the runs: hpclearn sweep-report {sweepDir}");
            stdout.WriteLine($"if points fail: hpclearn sweep --rerun-failed {sweepDir}");
            JobCheck.Warn(warnings, r);
            return CliApp.Ok;
        });
        return cmd;
    }

    // Each point loads as its job will load it, so a bad key or value fails now, not in the queue.
    private static void Check(string baseYaml, SweepPoint point, SweepGrid grid)
    {
        try
        {
            ConfigLoader.LoadFromText(baseYaml, "base config", [.. point.Overrides, $"name={point.Index}"], ConfigType, TaskNames());
        }
        catch (UserError e)
        {
            for (int i = 0; i < point.Overrides.Count; i++)
            {
                string prefix = $"--set {point.Overrides[i]}: ";
                if (e.Message.StartsWith(prefix, StringComparison.Ordinal))
                    throw new UserError($"--grid {grid.Axes[i].Text}: {e.Message[prefix.Length..]}", e);
            }
            throw new UserError($"sweep point {point.Index} ({point}): {e.Message}", e);
        }
    }

    private static Type? ConfigType(string task) => TaskRegistry.Find(task)?.ConfigType;

    private static List<string> TaskNames() => TaskRegistry.All.Select(t => t.Name).ToList();
}
