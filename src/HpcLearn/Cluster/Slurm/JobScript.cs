using System.Text;

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
    public static string Render(JobSpec job)
    {
        var c = job.Cluster;
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        string self = job.ScriptPath is { } path ? Shell.Quote(path) : "THIS_FILE";
        s.AppendLine($"# Slurm job '{job.Name}', written by hpclearn.");
        s.AppendLine($"# Submit it: sbatch {self}");
        s.AppendLine($"# Or run it here, without Slurm: bash {self}{(job.PointTable is null ? "" : " INDEX")}");
        s.AppendLine("#");
        Option(s, "Name shown by squeue.", $"--job-name={Word(job.Name)}");
        if (job.Array is { } range) Option(s, "One array task per grid point (%N: at most N at a time).", $"--array={range}");
        Option(s, "Machines.", $"--nodes={c.Nodes}");
        Option(s, "Processes per machine: one per MPI rank.", $"--ntasks-per-node={c.NtasksPerNode}");
        if (c.CpusPerTask is { } cpus) Option(s, "Cores per process; hpclearn uses as many libtorch threads (SLURM_CPUS_PER_TASK).", $"--cpus-per-task={cpus}");
        if (c.Time is { } time) Option(s, "Wall-time limit.", $"--time={time.Trim()}");
        if (c.Partition is { } p) Option(s, "Partition.", $"--partition={Word(p)}");
        if (c.Account is { } a) Option(s, "Account charged.", $"--account={Word(a)}");
        if (c.Qos is { } q) Option(s, "Quality of service.", $"--qos={Word(q)}");
        Option(s, "One log for every attempt; a requeued attempt appends to it instead of overwriting it.",
            $"--output={Word(job.LogPath)}", "--open-mode=append");
        Option(s, $"USR1 to this script (B: = the batch shell) {c.MarginSeconds} s before the time limit, so training checkpoints and stops in time. Slurm checks every 30 s and may send it up to 60 s early.",
            $"--signal=B:USR1@{c.MarginSeconds}");
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
        if (c.Modules.Count > 0)
        {
            s.AppendLine("# Modules from cluster.modules.");
            foreach (var m in c.Modules) s.AppendLine($"module load {m.Trim()}");
        }
        if (c.Setup.Count > 0)
        {
            s.AppendLine("# Setup lines from cluster.setup.");
            foreach (var line in c.Setup) s.AppendLine(line);
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
            s.AppendLine($"# {job.Tasks} processes: srun starts one per rank under Slurm (MPI through PMIx); mpirun does elsewhere;");
            s.AppendLine("# without either, training runs as one process and says so.");
            s.AppendLine("# Ranks step in lockstep, so .NET's tiered JIT recompiling hot methods in the background on one rank");
            s.AppendLine("# holds up all of them: compile each method fully once instead (docs/benchmarks.md, ddp: +12% samples/s on 2 ranks).");
            s.AppendLine("export DOTNET_TieredCompilation=0");
            s.AppendLine($"if [ -n \"${{SLURM_JOB_ID:-}}\" ]; then launch=(srun --mpi=pmix --kill-on-bad-exit=1); else launch=(mpirun -np {job.Tasks} -x TERM -x DOTNET_TieredCompilation); fi");
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
        s.AppendLine("# Training runs in the background so that this shell can pass on the signals Slurm sends it");
        s.AppendLine("# (USR1 before the time limit, TERM from scancel): hpclearn checkpoints and exits with code 3.");
        s.AppendLine($"\"${{launch[@]}}\" {command} &");
        s.AppendLine("child=$!");
        s.AppendLine("trap 'kill -USR1 \"$child\" 2>/dev/null' USR1");
        s.AppendLine("trap 'kill -TERM \"$child\" 2>/dev/null' TERM");
        s.AppendLine("# wait returns early whenever a trap runs: wait until training has really ended.");
        s.AppendLine("while kill -0 \"$child\" 2>/dev/null; do wait \"$child\"; done");
        s.AppendLine("wait \"$child\"; rc=$?");
        s.AppendLine("echo \"hpclearn exited with code $rc at $(date '+%F %T')\"");
        s.AppendLine("exit \"$rc\"");
        return s.ToString();
    }

    private static void Option(StringBuilder s, string comment, params string[] options)
    {
        s.AppendLine($"# {comment}");
        foreach (var o in options) s.AppendLine($"#SBATCH {o}");
    }

    // #SBATCH values are split at white space; Slurm accepts double quotes around a value.
    private static string Word(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
}
