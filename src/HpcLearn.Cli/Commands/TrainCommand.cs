using System.CommandLine;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Tasks;
using HpcLearn.Runs;
using HpcLearn.Training;

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
            $"exit code {CliApp.Stopped} when stopped for the job's deadline, a signal or train.max_time (with a checkpoint saved once training has begun)")
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
            // Before any data is read: ranks with different settings stop here, all with exit 2, instead of hanging later.
            Training.Distributed.ConfigAgreement.Check(comm, cfg,
                [("--resume", r.GetValue(resume) ? "true" : "false"), ("--resume-if-possible", r.GetValue(resumeIfPossible) ? "true" : "false"), ("--out", runsRoot)]);
            string checkpoints = Path.Combine(runsRoot, cfg.RunName, "checkpoints");
            // Another train on this folder: say so now, not after loading the data (the lock itself is taken when the folder opens).
            if (comm.Rank == 0 && RunFolderLock.InUse(Path.Combine(runsRoot, cfg.RunName)) is { } inUse) throw new UserError(inUse);
            bool resumeRun = r.GetValue(resume)
                ? CheckResume(runsRoot, cfg.RunName, log)
                : AutoResume(checkpoints, r.GetValue(resumeIfPossible), host.Environment, log);
            // Without a valid checkpoint, --resume-if-possible (or a requeue) starts again, the earlier attempt kept aside.
            bool restart = !resumeRun && (r.GetValue(resumeIfPossible) || Restarts(host.Environment) > 0);

            var job = new JobStop(cfg, host, cluster, log, stderr);
            using var signals = host.ListenForSignals(cfg.Cluster.Signals);
            if (StopSignals.TakeFromStart(signals.Names) is { } early)
            {
                // Caught at start-up, before the config said which signals stop training.
                if (signals.Names.Contains(early)) signals.Raise(early);
                else
                {
                    log.WriteLine($"stopped: signal {early} received at start-up, which cluster.signals does not list: ending as its default action would");
                    return 128 + StopSignals.Number(early);
                }
            }
            var stop = job.Stop(signals);
            // failure.json and attempts.jsonl in the run folder, so that status and sweep-report can say what happened.
            var attempt = TrainAttempt.Begin(Path.Combine(runsRoot, cfg.RunName), resumeRun || restart, comm.Rank == 0, host);
            RunSummary summary;
            try
            {
                summary = TrainAttempt.Around(attempt, () => task.Train(cfg, new RunContext
                {
                    Out = log, IsTerminal = comm.Rank == 0 && CommonOptions.IsTerminal(stdout),
                    RunsRoot = runsRoot, Resume = resumeRun, RestartFailedAttempt = restart, Environment = host.Environment,
                    Communicator = comm, Stop = stop,
                }));
            }
            catch (OperationCanceledException) when (signals.Received is { } signal)
            {
                // Before training began (loading the data): there is no checkpoint to resume from,
                // but a USR1 under Slurm still requeues the job, which then starts afresh.
                stop.Poll();
                attempt?.Ended(CliApp.Stopped, $"signal {signal} before training began");
                log.WriteLine(resumeRun
                    ? $"stopped: signal {signal} received before training resumed (while loading the data); the run folder is as it was: run the same command again to resume"
                    : $"stopped: signal {signal} received before training began (while loading the data); nothing was written: run the same command again");
                job.AfterStop(stop, resumeCommand: null);
                return CliApp.Stopped;
            }
            if (!summary.Interrupted)
            {
                Next(log, Path.Combine(runsRoot, cfg.RunName), cfg.Task);
                return CliApp.Ok;
            }
            var again = new List<string> { "hpclearn", "train", configPath, "--resume" };
            foreach (var kv in r.GetValue(set) ?? []) again.AddRange(["--set", kv]);
            if (runsRoot != "runs") again.AddRange(["--out", runsRoot]);
            job.AfterStop(stop, HpcLearn.Cluster.Slurm.Shell.Join(again));
            return CliApp.Stopped;
        });
        return cmd;
    }

    /// <summary>What to do with the run folder just written: its real paths, FILE being the user's data, in the terms of <paramref name="task"/>.</summary>
    internal static void Next(TextWriter log, string run, string task = "")
    {
        // The repository's wrapper says how it was called; an installed tool is just "hpclearn".
        string self = Environment.GetEnvironmentVariable("HPCLEARN_INVOKED_AS") ?? "hpclearn";
        string model = Path.Combine(run, "model");
        log.WriteLine("next:");
        switch (task)
        {
            case "games":
                log.WriteLine($"  {self} play {model}               # play against the agent");
                log.WriteLine($"  {self} judge {model}              # optimal moves by the solver, easy and hard positions");
                log.WriteLine($"  {self} predict {model} FILE     # FILE: positions, one per line as moves from the start (an empty line: the empty board)");
                log.WriteLine($"  {self} evaluate {model} FILE    # FILE: positions (or 'MOVES SCORE' lines); share of optimal moves");
                break;
            case "text":
                log.WriteLine($"  {self} generate {model} --prompt \"...\"   # sample text");
                log.WriteLine($"  {self} evaluate {model} FILE    # FILE: other text; nats per character");
                break;
            default:
                log.WriteLine($"  {self} predict {model} FILE     # FILE: new inputs (the training columns, no target)");
                log.WriteLine($"  {self} evaluate {model} FILE    # FILE: labelled data the model has not seen");
                break;
        }
        log.WriteLine($"  {self} report {run}");
    }

    // --resume: refused before any data loads when the folder has no checkpoint to continue (a
    // missing folder is RunFolder.Open's error).
    private static bool CheckResume(string runsRoot, string name, TextWriter log)
    {
        string run = Path.Combine(runsRoot, name), checkpoints = Path.Combine(run, "checkpoints");
        if (!Directory.Exists(run)) return true;
        var damaged = new List<string>();
        if (CheckpointProbe.FindValid(checkpoints, damaged.Add) is not null) return true;
        foreach (var d in damaged) log.WriteLine("warning: " + d);
        throw RunFolder.NoValidCheckpoint(checkpoints);
    }

    /// <summary>Slurm's count of this job's requeues (SLURM_RESTART_COUNT), 0 outside a requeued job.</summary>
    internal static int Restarts(IReadOnlyDictionary<string, string> env)
        => int.TryParse(env.GetValueOrDefault("SLURM_RESTART_COUNT"), out int n) ? n : 0;

    // A requeued job (SLURM_RESTART_COUNT > 0) or --resume-if-possible continues the newest valid
    // checkpoint when there is one (any task's: epoch-*, step-*, iter-*); the task itself then picks it.
    private static bool AutoResume(string checkpoints, bool ifPossible, IReadOnlyDictionary<string, string> env, TextWriter log)
    {
        int restarts = Restarts(env);
        if (!ifPossible && restarts == 0) return false;
        var damaged = new List<string>();
        if (CheckpointProbe.FindValid(checkpoints, damaged.Add) is null)
        {
            foreach (var d in damaged) log.WriteLine("warning: " + d);
            return false;
        }
        log.WriteLine(restarts > 0
            ? $"requeued job (SLURM_RESTART_COUNT={restarts}): resuming from the newest valid checkpoint in {checkpoints}"
            : $"--resume-if-possible: resuming from the newest valid checkpoint in {checkpoints}");
        return true;
    }
}
