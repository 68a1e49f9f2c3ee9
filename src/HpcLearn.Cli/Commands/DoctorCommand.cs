using System.CommandLine;
using HpcLearn.Cluster.Preflight;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn doctor CONFIG [submit's flags]</c>: the pre-flight check <c>submit</c> runs before sbatch,
/// as a report: one line per problem (<c>error: …</c>, the job could never finish) and per warning
/// (<c>warning: …</c>), then <c>doctor: N problems, M warnings</c> or <c>doctor: ready to submit</c>.
/// Exit code 2 when there is a problem, so scripts can use it as a gate.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(TextWriter stdout, CliHost host)
    {
        var config = new Argument<string>("config") { Description = "YAML config file, as for submit" };
        var set = new Option<string[]>("--set") { Description = "override a config key, e.g. --set train.epochs=5 (repeatable)" };
        var outDir = CommonOptions.Out("folder that holds run folders", "runs");
        var resume = new Option<bool>("--resume") { Description = "the job continues the run folder's checkpoint: its metrics.csv and checkpoints give the epoch time and checkpoint size" };
        var job = new JobOptions();
        var cmd = new Command("doctor",
            "check a training job before submitting it, with submit's flags: refuses what can never finish (wall time inside the checkpoint margin " +
            "(cluster.margin_seconds), more nodes, CPUs or time than the partition has, an unknown partition, more threads than CPUs, unreadable data, " +
            "a run folder that cannot be written or is short of space) and warns about what is risky (MPI library vs srun plug-in); exit code 2 on a problem")
        {
            config, set, outDir, resume,
        };
        job.AddTo(cmd);
        cmd.SetAction(r =>
        {
            var cfg = ConfigLoader.Load(r.GetValue(config)!, r.GetValue(set) ?? [], name => TaskRegistry.Find(name)?.ConfigType,
                TaskRegistry.All.Select(t => t.Name).ToList());
            cfg = cfg with { Cluster = job.Apply(cfg.Cluster, r) };
            if (cfg.RunName.IndexOfAny(['/', '\\']) >= 0)
                throw new UserError($"run name '{cfg.RunName}' must be a plain folder name (no '/'); set name: in the config");
            string runsRoot = Path.GetFullPath(r.GetValue(outDir)!);
            string runDir = Path.Combine(runsRoot, cfg.RunName);
            var findings = new List<PreflightFinding>();
            if (RunFolder.IsStarted(runDir) && !r.GetValue(resume))
                findings.Add(PreflightFinding.Problem($"run folder '{runDir}' already exists; add --resume to continue it in a job, or choose another name (--set name=...) or --out DIR"));
            var plan = JobCheck.ForRun(cfg, runDir, r.GetValue(resume), job.Given(r), underSlurm: true);
            findings.AddRange(JobPreflight.Check(plan, host.Commands, host.Environment));
            foreach (var f in findings) stdout.WriteLine($"{(f.IsProblem ? "error" : "warning")}: {CliApp.OneLine(f.Message)}");
            stdout.WriteLine($"doctor: {JobPreflight.Summary(findings)}");
            return findings.Any(f => f.IsProblem) ? CliApp.UserMistake : CliApp.Ok;
        });
        return cmd;
    }
}
