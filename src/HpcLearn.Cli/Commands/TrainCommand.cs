using System.CommandLine;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Training;
using HpcLearn.Training.Callbacks;

namespace HpcLearn.Cli.Commands;

/// <summary><c>hpclearn train CONFIG</c>.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, CliHost host)
    {
        var config = new Argument<string>("config") { Description = "YAML config file (see examples/ and 'hpclearn tasks')" };
        var set = new Option<string[]>("--set")
        {
            Description = "override a config key, e.g. --set train.epochs=5 (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var resume = new Option<bool>("--resume") { Description = "continue the run folder's newest valid checkpoint" };
        var resumeIfPossible = new Option<bool>("--resume-if-possible")
        {
            Description = "continue the newest checkpoint when the run folder has one, else start (what job scripts use)",
        };
        var outDir = CommonOptions.Out("folder that holds run folders", "runs");
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var cmd = new Command("train", "train a model from a config file and write a run folder (config, metrics, checkpoints, model, summary); " +
            $"exit code {CliApp.Stopped} when stopped for the job's deadline or a signal (with a checkpoint saved once training has begun)")
        {
            config, set, resume, resumeIfPossible, outDir, threads, device,
        };
        cmd.SetAction(r =>
        {
            string configPath = r.GetValue(config)!;
            var overrides = (r.GetValue(set) ?? []).Concat(r.GetValue(device) is { } d ? [$"device={d}"] : []);
            var cfg = ConfigLoader.Load(configPath, overrides, name => TaskRegistry.Find(name)?.ConfigType,
                TaskRegistry.All.Select(t => t.Name).ToList());
            var task = TaskRegistry.Get(cfg.Task);
            // Under mpirun or srun every rank runs this; rank 0 alone prints and writes.
            var cluster = ClusterEnvironment.Detect(host.Environment, host.RunLine, host.Clock);
            using var comm = Communicator.Create(cluster, host.Environment);
            var log = comm.Rank == 0 ? stdout : TextWriter.Null;
            if (cluster.Kind != ClusterKind.Local) log.WriteLine($"cluster: {cluster.Description}");
            int? threadsFlag = r.GetValue(threads);
            CommonOptions.ApplyThreads(threadsFlag ?? cfg.Threads, log, cluster, host.Environment,
                threadsFlag is null ? "the config's threads" : "--threads");
            string runsRoot = r.GetValue(outDir)!;
            bool resumeRun = r.GetValue(resume) || AutoResume(cfg, runsRoot, r.GetValue(resumeIfPossible), host.Environment, log);
            // Before any data is read: ranks with different settings stop here, all with exit 2, instead of hanging later.
            Training.Distributed.ConfigAgreement.Check(comm, cfg, [("--resume", resumeRun ? "true" : "false"), ("--out", runsRoot)]);

            var job = new JobStop(cfg, host, cluster, log, stderr);
            using var signals = host.ListenForSignals(cfg.Cluster.Signals);
            var deadline = job.Deadline(signals);
            RunSummary summary;
            try
            {
                summary = task.Train(cfg, new RunContext
                {
                    Out = log, IsTerminal = comm.Rank == 0 && CommonOptions.IsTerminal(stdout),
                    RunsRoot = runsRoot, Resume = resumeRun, Environment = host.Environment,
                    Callbacks = [deadline], Communicator = comm, Stop = signals.Token,
                });
            }
            catch (OperationCanceledException) when (signals.Received is { } signal)
            {
                // Before training began (loading the data): there is no checkpoint to resume from,
                // but a USR1 under Slurm still requeues the job, which then starts afresh.
                deadline.Poll();
                log.WriteLine($"stopped: signal {signal} received before training began (while loading the data); " +
                    $"nothing was written: run the same command again");
                job.AfterStop(deadline, resumeCommand: null);
                return CliApp.Stopped;
            }
            if (!summary.Interrupted) return CliApp.Ok;
            var again = new List<string> { "hpclearn", "train", configPath, "--resume" };
            foreach (var kv in r.GetValue(set) ?? []) again.AddRange(["--set", kv]);
            if (runsRoot != "runs") again.AddRange(["--out", runsRoot]);
            job.AfterStop(deadline, HpcLearn.Cluster.Slurm.Shell.Join(again));
            return CliApp.Stopped;
        });
        return cmd;
    }

    // A requeued job (SLURM_RESTART_COUNT > 0) or --resume-if-possible continues the newest checkpoint when there is one.
    private static bool AutoResume(RunConfig cfg, string runsRoot, bool ifPossible, IReadOnlyDictionary<string, string> env, TextWriter log)
    {
        int restarts = int.TryParse(env.GetValueOrDefault("SLURM_RESTART_COUNT"), out int n) ? n : 0;
        if (!ifPossible && restarts == 0) return false;
        // Any task's checkpoint files (epoch-*, step-*, iter-*): the task itself picks the newest valid one.
        string folder = Path.Combine(runsRoot, cfg.RunName, "checkpoints");
        if (!Directory.Exists(folder) || !Directory.EnumerateFiles(folder, "*.ckpt").Any()) return false;
        log.WriteLine(restarts > 0
            ? $"requeued job (SLURM_RESTART_COUNT={restarts}): resuming from the newest valid checkpoint in {folder}"
            : $"--resume-if-possible: resuming from the newest valid checkpoint in {folder}");
        return true;
    }
}
