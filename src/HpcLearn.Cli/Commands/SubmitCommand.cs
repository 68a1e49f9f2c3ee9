using System.CommandLine;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn submit CONFIG</c>: writes <c>runs/&lt;name&gt;/job.sbatch</c> (and the resolved config
/// <c>job.yaml</c> it trains) and submits it with sbatch; <c>--dry-run</c> prints it and writes
/// nothing (and ends with the pre-flight findings as comment lines); <c>--local</c> runs it here in the background,
/// without Slurm. Before it submits, the checks of <c>hpclearn doctor</c> refuse a job that can never finish.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var config = new Argument<string>("config") { Description = "YAML config file" };
        var set = new Option<string[]>("--set") { Description = "override a config key, e.g. --set train.epochs=5 (repeatable)" };
        var outDir = CommonOptions.Out("folder that holds run folders", "runs");
        var dryRun = new Option<bool>("--dry-run") { Description = "print the job script; write and submit nothing" };
        var local = new Option<bool>("--local") { Description = "run the job script here in the background with bash, without Slurm" };
        var resume = new Option<bool>("--resume") { Description = "submit a run whose folder exists: the job continues its newest checkpoint" };
        var job = new JobOptions();
        var cmd = new Command("submit", "write a Slurm job script for a training run into its run folder and submit it (sbatch)")
        {
            config, set, outDir, dryRun, local, resume,
        };
        job.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var cfg = ConfigLoader.Load(r.GetValue(config)!, r.GetValue(set) ?? [], name => TaskRegistry.Find(name)?.ConfigType,
                TaskRegistry.All.Select(t => t.Name).ToList());
            cfg = cfg with { Cluster = job.Apply(cfg.Cluster, r) };
            string runsRoot = Path.GetFullPath(r.GetValue(outDir)!);
            if (cfg.RunName.IndexOfAny(['/', '\\']) >= 0)
                throw new UserError($"run name '{cfg.RunName}' must be a plain folder name (no '/'); set name: in the config");
            string runDir = Path.Combine(runsRoot, cfg.RunName);
            if (RunFolder.IsStarted(runDir) && !r.GetValue(resume))
                throw new UserError($"run folder '{runDir}' already exists; add --resume to continue it in a job, or choose another name (--set name=...) or --out DIR");

            string yamlPath = Path.Combine(runDir, "job.yaml");
            string scriptPath = Path.Combine(runDir, "job.sbatch");
            string logPath = Path.Combine(runDir, "job.log");
            var script = JobScript.Render(new JobSpec
            {
                Name = cfg.RunName,
                WorkDirectory = Directory.GetCurrentDirectory(),
                LogPath = logPath,
                ScriptPath = scriptPath,
                Command = [.. host.HpclearnCommand, "train", yamlPath, "--out", runsRoot, "--resume-if-possible"],
                Cluster = cfg.Cluster,
            });
            // The pre-flight check (hpclearn doctor): a job that can never finish is refused before sbatch.
            var plan = JobCheck.ForRun(cfg, runDir, r.GetValue(resume), job.Given(r), underSlurm: !r.GetValue(local));
            if (r.GetValue(dryRun))
            {
                stdout.Write(script);
                JobCheck.WriteComments(plan, host, stdout);
                return CliApp.Ok;
            }
            var warnings = JobCheck.Enforce(plan, host, "'hpclearn doctor' with the same arguments lists them all");
            Directory.CreateDirectory(runDir);
            AtomicFile.WriteAllText(yamlPath, ConfigWriter.ToYaml(cfg));
            AtomicFile.WriteAllText(scriptPath, script);
            if (r.GetValue(local))
            {
                int pid = LocalJob.Start(host.Commands, scriptPath, logPath);
                AtomicFile.WriteAllText(Path.Combine(runDir, RunStatus.PidFile), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                stdout.WriteLine($"started {scriptPath} here, without Slurm: pid {pid}");
            }
            else
            {
                string id = new SlurmClient(host.Commands).Submit(scriptPath);
                AtomicFile.WriteAllText(Path.Combine(runDir, RunStatus.JobIdFile), id);
                stdout.WriteLine($"submitted job {id}: {scriptPath}");
            }
            stdout.WriteLine($"log: {logPath}");
            stdout.WriteLine($"follow it: hpclearn status {runDir}");
            JobCheck.Warn(warnings, r);
            return CliApp.Ok;
        });
        return cmd;
    }
}
