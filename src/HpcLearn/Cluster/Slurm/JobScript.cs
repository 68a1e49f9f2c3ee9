using System.Text;
using HpcLearn.Config;

namespace HpcLearn.Cluster.Slurm;

/// <summary>
/// Writes the sbatch script for a run or a sweep: commented <c>#SBATCH</c> lines, then a bash body
/// that runs hpclearn in the background and passes Slurm's signals on to it. The same script
/// runs without Slurm (<c>bash job.sbatch</c>): the <c>#SBATCH</c> lines are then comments and
/// nothing Slurm-specific is needed.
/// </summary>
public static class JobScript
{
    /// <summary>The script text for <paramref name="job"/>.</summary>
    /// <exception cref="UserError">A value holds a control character (see <see cref="Check"/>).</exception>
    public static string Render(JobSpec job)
    {
        Check(job);
        var c = job.Cluster;
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        string self = job.ScriptPath is { } path ? Shell.Quote(path) : "THIS_FILE";
        s.AppendLine(Shell.Comment($"# Slurm job '{job.Name}', written by hpclearn."));
        s.AppendLine(Shell.Comment($"# Submit it: sbatch {self}"));
        s.AppendLine(Shell.Comment($"# Or run it here, without Slurm: bash {self}{(job.PointTable is null ? "" : " INDEX")}"));
        s.AppendLine("#");
        Option(s, "Name shown by squeue.", $"--job-name={JobName(job.Name)}");
        if (job.Array is { } range) Option(s, "One array task per grid point (%N: at most N at a time).", $"--array={range}");
        Option(s, "Machines.", $"--nodes={c.Nodes}");
        Option(s, "Processes per machine: one per MPI rank.", $"--ntasks-per-node={c.NtasksPerNode}");
        if (c.CpusPerTask is { } cpus) Option(s, "Cores per process; hpclearn uses as many libtorch threads (SLURM_CPUS_PER_TASK).", $"--cpus-per-task={cpus}");
        if (c.Time is { } time) Option(s, "Wall-time limit.", $"--time={time.Trim()}");
        if (c.Partition is { } p) Option(s, "Partition.", $"--partition={Word(p, "cluster.partition")}");
        if (c.Account is { } a) Option(s, "Account charged.", $"--account={Word(a, "cluster.account")}");
        if (c.Qos is { } q) Option(s, "Quality of service.", $"--qos={Word(q, "cluster.qos")}");
        Option(s, "One log for every attempt; a requeued attempt appends to it instead of overwriting it.",
            $"--output={Word(job.LogPath, "the log path")}", "--open-mode=append");
        if (WarningSignal(c) is { } warning)
            Option(s, $"{warning} to this script (B: = the batch shell) {c.MarginSeconds} s before the time limit, so training checkpoints and stops in time. Slurm checks every 30 s and may send it up to 60 s early.",
                $"--signal=B:{warning}@{c.MarginSeconds}");
        else
            s.AppendLine($"# No --signal: cluster.signals lists neither usr1 nor usr2; training stops {c.MarginSeconds} s before the job's end time by its own clock.");
        if (c.Requeue) Option(s, "Allow a requeue: after the deadline checkpoint hpclearn runs 'scontrol requeue', and the job resumes from it.", "--requeue");
        else Option(s, "cluster.requeue is false: the job is not requeued after a deadline checkpoint.", "--no-requeue");
        if (c.ExtraSbatch.Count > 0)
            Option(s, "From cluster.extra_sbatch in the config.", c.ExtraSbatch.Select(x => ClusterOptions.SbatchOption(x)!).ToArray());

        s.AppendLine();
        s.AppendLine("set -uo pipefail");
        s.AppendLine("# A log, not a terminal: plain progress lines, no escape codes (mpirun gives ranks a pty).");
        s.AppendLine("export TERM=dumb");
        s.AppendLine("# Relative paths in the config (data.path, ...) are relative to where hpclearn wrote this script.");
        s.AppendLine($"cd {Shell.Quote(job.WorkDirectory)} || exit 1");
        // Setup first: on many sites 'module' itself exists only after a setup line (source .../modules.sh).
        if (c.Setup.Count > 0)
        {
            s.AppendLine("# Setup lines from cluster.setup: shell code by design, written as given (docs/security.md).");
            foreach (var line in c.Setup) s.AppendLine(line);
        }
        if (c.Modules.Count > 0)
        {
            s.AppendLine("# Modules from cluster.modules.");
            // Each word its own quoted argument: an item may name several modules, never a command.
            foreach (var m in c.Modules)
                s.AppendLine($"module load {Shell.Join(m.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))}");
        }
        s.AppendLine("# libtorch's threads follow SLURM_CPUS_PER_TASK; keep OpenMP (and MKL) in line with it.");
        s.AppendLine("if [ -n \"${SLURM_CPUS_PER_TASK:-}\" ]; then export OMP_NUM_THREADS=\"$SLURM_CPUS_PER_TASK\" MKL_NUM_THREADS=\"$SLURM_CPUS_PER_TASK\"; fi");
        s.AppendLine();

        var command = Shell.Join(job.Command);
        if (job.PointTable is { } table)
        {
            s.AppendLine("# Which grid point: the array task id (or the first argument, without Slurm).");
            s.AppendLine("point=\"${SLURM_ARRAY_TASK_ID:-${1:?give the grid point index as the first argument}}\"");
            s.AppendLine("# Its overrides: the line 'INDEX<TAB>key=value<TAB>...' of the point table.");
            s.AppendLine($"line=$(awk -F'\\t' -v i=\"$point\" '$1 == i' {Shell.Quote(table)})");
            s.AppendLine("[ -n \"$line\" ] || { echo \"no grid point $point in the point table\" >&2; exit 2; }");
            s.AppendLine("IFS=$'\\t' read -r -a fields <<< \"$line\"");
            s.AppendLine("sets=(--set \"name=$point\")");
            s.AppendLine("for kv in \"${fields[@]:1}\"; do sets+=(--set \"$kv\"); done");
            command += " \"${sets[@]}\"";
        }
        if (job.Tasks > 1)
        {
            bool siteMpi = c.SrunMpi == "none";
            s.AppendLine(Shell.Comment($"# {job.Tasks} processes: srun starts one per rank under Slurm (MPI through {(siteMpi ? "the site's MpiDefault" : $"--mpi={c.SrunMpi}")}, cluster.srun_mpi); mpirun does elsewhere;"));
            s.AppendLine("# without either, training runs as one process and says so.");
            s.AppendLine("# Ranks step in lockstep, so .NET's tiered JIT recompiling hot methods in the background on one rank");
            s.AppendLine("# holds up all of them: compile each method fully once instead (docs/benchmarks.md, ddp: +12% samples/s on 2 ranks).");
            s.AppendLine("export DOTNET_TieredCompilation=0");
            s.AppendLine($"if [ -n \"${{SLURM_JOB_ID:-}}\" ]; then launch=(srun {(siteMpi ? "" : Shell.Quote($"--mpi={c.SrunMpi}") + " ")}--kill-on-bad-exit=1); else launch=(mpirun -np {job.Tasks} -x TERM -x DOTNET_TieredCompilation); fi");
            s.AppendLine("if [ -z \"${SLURM_JOB_ID:-}\" ] && ! command -v mpirun >/dev/null 2>&1; then");
            s.AppendLine($"  echo \"hpclearn: mpirun not found: training runs as one process instead of {job.Tasks} (install Open MPI to use them)\" >&2");
            s.AppendLine("  launch=()");
            s.AppendLine("elif [ -z \"${SLURM_JOB_ID:-}\" ] && [ \"$(id -u)\" = 0 ]; then launch+=(--allow-run-as-root); fi");
        }
        else
        {
            s.AppendLine("# One process: no launcher needed.");
            s.AppendLine("launch=()");
        }
        var passed = Passed(c);
        s.AppendLine("# Training runs in the background so that this shell can pass on the signals of cluster.signals");
        s.AppendLine($"# ({string.Join(", ", passed)}): hpclearn checkpoints and exits with code 3.");
        s.AppendLine($"\"${{launch[@]}}\" {command} &");
        s.AppendLine("child=$!");
        foreach (var sig in passed) s.AppendLine($"trap 'kill -{sig} \"$child\" 2>/dev/null' {sig}");
        s.AppendLine("# wait returns early whenever a trap runs: wait until training has really ended.");
        s.AppendLine("while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; done");
        s.AppendLine("wait \"$child\"; rc=$?");
        s.AppendLine("echo \"hpclearn exited with code $rc at $(date '+%F %T')\"");
        s.AppendLine("exit \"$rc\"");
        return s.ToString();
    }

    /// <summary>
    /// Refuses a job whose values could break out of their line: any control character in the name,
    /// the paths, the command's words, the array range or the <c>cluster:</c> values that the script
    /// holds (a line break in a comment or <c>#SBATCH</c> line would start a command). Tabs are allowed
    /// in <c>cluster.setup</c> lines only, which are shell code by design.
    /// </summary>
    /// <exception cref="UserError">A value holds a control character; the message names it.</exception>
    public static void Check(JobSpec job)
    {
        var c = job.Cluster;
        Shell.CheckValue(job.Name, "name");
        Shell.CheckValue(job.WorkDirectory, $"the working folder '{Shell.Comment(job.WorkDirectory)}'");
        Shell.CheckValue(job.LogPath, $"the log path '{Shell.Comment(job.LogPath)}'");
        if (job.ScriptPath is { } script) Shell.CheckValue(script, $"the script path '{Shell.Comment(script)}'");
        if (job.PointTable is { } table) Shell.CheckValue(table, $"the point table '{Shell.Comment(table)}'");
        if (job.Array is { } array) Shell.CheckValue(array, "the array range");
        foreach (var word in job.Command) Shell.CheckValue(word, $"the command word '{Shell.Comment(word)}'");
        foreach (var (key, value) in ClusterValues(c)) Shell.CheckValue(value, $"cluster.{key}");
        for (int i = 0; i < c.Setup.Count; i++) Shell.CheckValue(c.Setup[i].Replace('\t', ' '), $"cluster.setup[{i}]");
    }

    /// <summary>
    /// The signal Slurm sends before the time limit (<c>--signal=B:SIG@margin</c>): the first of
    /// <c>usr1</c>, <c>usr2</c> in <c>cluster.signals</c>, or null when it lists neither (TERM, INT, HUP
    /// and QUIT mean the job is being ended, so a requeue never follows them).
    /// </summary>
    public static string? WarningSignal(ClusterOptions c) =>
        Passed(c).FirstOrDefault(sig => sig is "USR1" or "USR2");

    // The signals of cluster.signals, upper case, in their order: the ones the script passes on.
    private static List<string> Passed(ClusterOptions c) =>
        c.Signals.Select(x => x.Trim().ToUpperInvariant())
            .Where(x => ClusterOptions.KnownSignals.Contains(x.ToLowerInvariant())).Distinct().ToList();

    /// <summary>The <c>cluster:</c> values a job script holds as data (not as code), with their keys.</summary>
    internal static IEnumerable<(string Key, string Value)> ClusterValues(ClusterOptions c)
    {
        if (c.Time is { } time) yield return ("time", time);
        if (c.Partition is { } p) yield return ("partition", p);
        if (c.Account is { } a) yield return ("account", a);
        if (c.Qos is { } q) yield return ("qos", q);
        yield return ("srun_mpi", c.SrunMpi);
        for (int i = 0; i < c.ExtraSbatch.Count; i++) yield return ($"extra_sbatch[{i}]", c.ExtraSbatch[i]);
        for (int i = 0; i < c.Modules.Count; i++) yield return ($"modules[{i}]", c.Modules[i]);
        for (int i = 0; i < c.Signals.Count; i++) yield return ($"signals[{i}]", c.Signals[i]);
    }

    private static void Option(StringBuilder s, string comment, params string[] options)
    {
        s.AppendLine(Shell.Comment($"# {comment}"));
        foreach (var o in options) s.AppendLine($"#SBATCH {o}");
    }

    // sbatch reads #SBATCH lines itself (no shell): a value is split at white space unless it is in
    // double quotes, and a double quote inside cannot be escaped, so such a value is refused.
    private static string Word(string value, string what)
    {
        if (!value.Any(char.IsWhiteSpace)) return value;
        if (value.Contains('"')) throw new UserError($"{what}: '{value}' holds both white space and a double quote, which an #SBATCH line cannot hold; remove one");
        return $"\"{value}\"";
    }

    // The name squeue shows: letters, digits and _.+- kept, anything else as '_'.
    private static string JobName(string name) =>
        string.Concat(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || "_.+-".Contains(ch) ? ch : '_'));
}
