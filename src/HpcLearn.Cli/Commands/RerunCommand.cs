using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Cluster;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Tasks;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>hpclearn rerun RUN [--out DIR]</c>: trains a finished run again from its folder alone (config.yaml,
/// inputs.json, summary.json) with the same seed, threads and ranks, after checking that every input
/// file is as the run read it, and prints the metrics beside the original's with a verdict by the
/// run's determinism. The original folder is only read. Not <c>sweep --rerun-failed</c>, which
/// resubmits a sweep's failed points.
/// </summary>
internal static class RerunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, CliHost host)
    {
        var dir = new Argument<string>("run") { Description = "a finished run folder (e.g. runs/quickstart)" };
        var outDir = CommonOptions.Out("folder that holds the rerun's folder, RUN-rerun (default: the folder that holds RUN)");
        var json = new Option<bool>("--json") { Description = "print the comparison as JSON on stdout (the training log goes to stderr)" };
        var cmd = new Command("rerun", "train a finished run again from its folder alone (same config, data checked by SHA-256, seed, threads, ranks) " +
            $"and compare its metrics with the original's; exit code {CliApp.NotReproduced} when they differ beyond the run's determinism " +
            "(a sweep's failed points: sweep --rerun-failed)")
        {
            dir, outDir, json,
        };
        cmd.SetAction(r =>
        {
            string run = Path.TrimEndingDirectorySeparator(r.GetValue(dir)!);
            bool asJson = r.GetValue(json);
            var (original, recorded) = ReadRun(run);

            var cluster = ClusterEnvironment.Detect(host.Environment, host.RunLine, host.Clock);
            using var comm = Communicator.Create(cluster, host.Environment);
            if (comm.Size != recorded.Ranks)
                throw new UserError(recorded.Ranks > 1
                    ? $"{run} was trained on {recorded.Ranks} ranks (inputs.json); rerun it on as many: mpirun -n {recorded.Ranks} hpclearn rerun {run} (in a Slurm job: srun -n {recorded.Ranks} hpclearn rerun {run})"
                    : $"{run} was trained in one process (inputs.json), but this rerun has {comm.Size} ranks; run 'hpclearn rerun {run}' without mpirun or srun");
            // Every rank checks the data it is about to read, so that all stop together with exit 2.
            if (recorded.FirstChange() is { } change)
                throw new UserError($"{change}; nothing was rerun: restore the data the run read, or train anew (hpclearn train)");

            var log = comm.Rank != 0 ? TextWriter.Null : asJson ? stderr : stdout;
            if (recorded.Build != Provenance.CurrentBuild)
                log.WriteLine($"warning: {run} was trained with hpclearn {recorded.Build}, this is {Provenance.CurrentBuild}: metrics may differ in their last bits or more");
            string rerunName = Path.GetFileName(Path.GetFullPath(run)) + "-rerun";
            string runsRoot = r.GetValue(outDir) ?? (Path.GetDirectoryName(run) is { Length: > 0 } parent ? parent : ".");
            var cfg = LoadConfig(run, recorded, rerunName);
            TorchRuntime.SetThreads(recorded.Threads, requested: true);
            log.WriteLine($"rerun of {run}: seed {recorded.Seed}, threads {recorded.Threads} (as the original run), {Ranks(recorded.Ranks)}, " +
                $"inputs {recorded.Summary}: unchanged");

            var summary = TaskRegistry.Get(cfg.Task).Train(cfg, new RunContext
            {
                Out = log, IsTerminal = false, RunsRoot = runsRoot, FreshFolder = true, Environment = host.Environment, Communicator = comm,
            });
            if (comm.Rank != 0) return CliApp.Ok;
            if (summary.Interrupted)
            {
                log.WriteLine($"stopped: the rerun in {summary.RunDir} stopped before its end ({summary.StopReason}), so there is nothing to compare yet; " +
                    $"continue it with: hpclearn train {Path.Combine(summary.RunDir, "config.yaml")} --resume --out {runsRoot}");
                return CliApp.Stopped;
            }

            var (exact, why) = Expectation(recorded, cfg.Device);
            var comparison = RerunComparison.Of(original.Metrics, summary.Metrics, exact, why, SameWeights(run, summary.RunDir));
            if (asJson) stdout.WriteLine(Json(run, summary.RunDir, recorded, comparison));
            else
            {
                log.WriteLine();
                log.WriteLine($"rerun of {run} in {summary.RunDir}:");
                log.Write(comparison.ToText());
                if (comparison.SameWeights is { } same) log.WriteLine($"weights (model.safetensors): {(same ? "identical bytes" : "differ")}");
                log.WriteLine($"verdict: {comparison.Verdict}");
            }
            return comparison.Flagged ? CliApp.NotReproduced : CliApp.Ok;
        });
        return cmd;
    }

    // What the run folder must hold for a rerun: its resolved config, its finished summary and inputs.json.
    private static (RunSummary Original, RunInputs Recorded) ReadRun(string run)
    {
        if (!Directory.Exists(run)) throw new UserError($"run folder '{run}' does not exist; pass the folder that 'hpclearn train' printed (e.g. runs/NAME)");
        if (!File.Exists(Path.Combine(run, "config.yaml")))
            throw new UserError($"'{run}' has no config.yaml: it is not a run folder; pass the folder that 'hpclearn train' printed (e.g. runs/NAME)");
        var summary = RunStatus.ReadSummary(Path.Combine(run, "summary.json"))
            ?? throw new UserError($"{run} has not finished (no summary.json of a finished run): there is nothing to compare a rerun with; finish it first (hpclearn train CONFIG --resume)");
        var recorded = RunInputs.TryRead(run);
        if (recorded is null)
            throw new UserError(File.Exists(Path.Combine(run, RunInputs.FileName))
                ? $"{Path.Combine(run, RunInputs.FileName)} cannot be read as a record of the run's inputs; restore it from a copy of the run folder"
                : $"{run} has no {RunInputs.FileName} (trained by an hpclearn from before runs recorded their inputs): its data cannot be checked, so it cannot be rerun; train it again with hpclearn train {Path.Combine(run, "config.yaml")}");
        if (recorded.Threads < 1 || recorded.Ranks < 1)
            throw new UserError($"{Path.Combine(run, RunInputs.FileName)}: threads and ranks must be at least 1 (they are {recorded.Threads} and {recorded.Ranks}); restore it from a copy of the run folder");
        return (summary, recorded);
    }

    // config.yaml as the run resolved it, under the rerun's name, reading each input where the run read it.
    private static RunConfig LoadConfig(string run, RunInputs recorded, string name)
    {
        var overrides = new List<string> { $"name={name}" };
        overrides.AddRange(recorded.Inputs.Select(i => $"{i.Key}={i.AbsolutePath}"));
        return ConfigLoader.Load(Path.Combine(run, "config.yaml"), overrides, t => TaskRegistry.Find(t)?.ConfigType,
            TaskRegistry.All.Select(t => t.Name).ToList());
    }

    // The determinism table of docs/training.md: bit for bit on the same build, CPU and device cpu (threads and ranks are the run's).
    private static (bool Exact, string Why) Expectation(RunInputs recorded, string device)
    {
        var differences = new List<string>();
        if (recorded.Build != Provenance.CurrentBuild) differences.Add($"another build ({recorded.Build} then)");
        string? cpu = RunInputs.CpuModel();
        if (recorded.Cpu is null || cpu is null) differences.Add("the CPU is not known");
        else if (recorded.Cpu != cpu) differences.Add($"another CPU ({recorded.Cpu} then, {cpu} now)");
        if (recorded.MatrixKernels is { } then && then != MklCpuPath.State)
            differences.Add($"other matrix kernels ({then} then, {MklCpuPath.State} now; HPCLEARN_MKL_VENDOR_CHECK)");
        if (!device.StartsWith("cpu", StringComparison.Ordinal)) differences.Add($"device {device}");
        return differences.Count == 0
            ? (true, $"same build, CPU, threads {recorded.Threads} and {Ranks(recorded.Ranks)}")
            : (false, string.Join(", ", differences));
    }

    private static string Ranks(int n) => n == 1 ? "1 rank" : $"{n} ranks";

    private static bool? SameWeights(string a, string b)
    {
        string fa = Path.Combine(a, "model", "model.safetensors"), fb = Path.Combine(b, "model", "model.safetensors");
        if (!File.Exists(fa) || !File.Exists(fb)) return null;
        using var sa = File.OpenRead(fa);
        using var sb = File.OpenRead(fb);
        return SHA256.HashData(sa).AsSpan().SequenceEqual(SHA256.HashData(sb));
    }

    private static string Json(string run, string rerun, RunInputs recorded, RerunComparison c)
    {
        var metrics = new JsonArray();
        foreach (var m in c.Metrics)
            metrics.Add(new JsonObject
            {
                ["metric"] = m.Metric, ["original"] = m.Original, ["rerun"] = m.Rerun, ["difference"] = m.Difference, ["flagged"] = m.Flagged,
            });
        var json = new JsonObject
        {
            ["original"] = run, ["rerun"] = rerun, ["inputs_digest"] = recorded.Digest, ["seed"] = recorded.Seed,
            ["threads"] = recorded.Threads, ["ranks"] = recorded.Ranks, ["exact_expected"] = c.ExactExpected, ["why"] = c.Why,
            ["metrics"] = metrics, ["same_weights"] = c.SameWeights, ["reproduced"] = !c.Flagged, ["verdict"] = c.Verdict,
        };
        return json.ToJsonString(new JsonSerializerOptions(RunJson.Options) { WriteIndented = true });
    }
}
