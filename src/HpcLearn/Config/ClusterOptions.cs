using System.Text.RegularExpressions;

namespace HpcLearn.Config;

/// <summary>
/// The <c>cluster:</c> section: how a run behaves under Slurm (signals, deadline, requeue) and
/// what <c>hpclearn submit</c> and <c>hpclearn sweep</c> put into the job script. Every key has a
/// default, so a laptop config needs none of it; command-line flags of <c>submit</c> win over it.
/// </summary>
public sealed partial record ClusterOptions : IValidatable
{
    /// <summary>
    /// Signals that make training checkpoint and stop: <c>usr1</c>, <c>usr2</c>, <c>term</c>,
    /// <c>int</c>, <c>hup</c>, <c>quit</c>. Default [usr1, term]: Slurm's <c>--signal</c> warning and
    /// the TERM of scancel, time limits and pre-emption.
    /// </summary>
    public List<string> Signals { get; init; } = ["usr1", "term"];

    /// <summary>
    /// Seconds before the job's end to checkpoint and stop: the <c>--signal=B:USR1@N</c> of the job
    /// script, and the margin of the deadline estimate. Default 120 (Slurm may signal up to 60 s early).
    /// </summary>
    public int MarginSeconds { get; init; } = 120;

    /// <summary>
    /// After a stop for the deadline (USR1 or the time estimate) under Slurm, run
    /// <c>scontrol requeue $SLURM_JOB_ID</c> so the job resumes from its checkpoint. Default true.
    /// </summary>
    public bool Requeue { get; init; } = true;

    /// <summary>
    /// The most times hpclearn requeues one job (Slurm's <c>SLURM_RESTART_COUNT</c> counts them): a run
    /// that never gets through an epoch before its deadline would otherwise go round for ever. Default 20.
    /// </summary>
    public int MaxRequeues { get; init; } = 20;

    /// <summary>Wall-time limit (<c>--time</c>), in a Slurm format such as 30, 04:00:00 or 1-12:00:00. Default: the partition's.</summary>
    public string? Time { get; init; }

    /// <summary>Nodes (<c>--nodes</c>). Default 1.</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>Processes per node (<c>--ntasks-per-node</c>), one per MPI rank. Default 1.</summary>
    public int NtasksPerNode { get; init; } = 1;

    /// <summary>Cores per process (<c>--cpus-per-task</c>), also the libtorch threads. Default: Slurm's (1).</summary>
    public int? CpusPerTask { get; init; }

    /// <summary>Partition (<c>--partition</c>). Default: the cluster's default partition.</summary>
    public string? Partition { get; init; }

    /// <summary>Account to charge (<c>--account</c>).</summary>
    public string? Account { get; init; }

    /// <summary>Quality of service (<c>--qos</c>).</summary>
    public string? Qos { get; init; }

    /// <summary>More sbatch options for site specifics, one per item: <c>--mem=8G</c> or <c>#SBATCH --constraint=avx2</c>.</summary>
    public List<string> ExtraSbatch { get; init; } = new();

    /// <summary>Environment modules to load before training (<c>module load</c> each), after the <see cref="Setup"/> lines.</summary>
    public List<string> Modules { get; init; } = new();

    /// <summary>
    /// Shell lines run before training (e.g. <c>source /etc/profile.d/modules.sh</c>, <c>source ~/venv/bin/activate</c>,
    /// <c>export X=1</c>). They run first, before the <see cref="Modules"/> are loaded: on many sites <c>module</c>
    /// itself exists only after a setup line.
    /// </summary>
    public List<string> Setup { get; init; } = new();

    /// <summary>
    /// The MPI plug-in of <c>srun --mpi=…</c> that starts several ranks in a job: <c>pmix</c> (default; Open MPI),
    /// <c>pmi2</c> (MPICH, Intel MPI), <c>cray_shasta</c> (Cray MPICH), … as <c>srun --mpi=list</c> names them;
    /// <c>none</c> writes no <c>--mpi</c>, so the site's <c>MpiDefault</c> applies.
    /// </summary>
    public string SrunMpi { get; init; } = "pmix";

    /// <summary>The signal names this section accepts, in the order they are listed in messages.</summary>
    public static IReadOnlyList<string> KnownSignals { get; } = ["usr1", "usr2", "term", "int", "hup", "quit"];

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        for (int i = 0; i < Signals.Count; i++)
            if (!KnownSignals.Contains(Signals[i].Trim().ToLowerInvariant()))
                yield return ($"signals[{i}]", $"'{Printable(Signals[i])}' is not a signal hpclearn handles; use {string.Join(", ", KnownSignals)}");
        if (MarginSeconds is < 0 or > 65535) yield return ("margin_seconds", "must be between 0 and 65535 (Slurm's limit for --signal)");
        if (Time is not null && !IsSlurmTime(Time))
            yield return ("time", $"'{Printable(Time)}' is not a Slurm time; use minutes (30), HH:MM:SS (04:00:00) or D-HH:MM:SS (1-12:00:00)");
        if (MaxRequeues < 0) yield return ("max_requeues", "must be at least 0 (0: never requeue)");
        if (Nodes < 1) yield return ("nodes", "must be at least 1");
        if (NtasksPerNode < 1) yield return ("ntasks_per_node", "must be at least 1");
        if (CpusPerTask is < 1) yield return ("cpus_per_task", "must be at least 1");
        for (int i = 0; i < ExtraSbatch.Count; i++)
            if (SbatchOption(ExtraSbatch[i]) is null)
                yield return ($"extra_sbatch[{i}]", $"'{Printable(ExtraSbatch[i])}' is not an sbatch option; write it as --option=value or #SBATCH --option=value");
        if (!SrunMpiName().IsMatch(SrunMpi))
            yield return ("srun_mpi", $"'{Printable(SrunMpi)}' is not an srun MPI plug-in name; use letters, digits, _ and - only (pmix, pmi2, cray_shasta; none for the site's default)");
        foreach (var (key, list) in new[] { ("modules", Modules), ("setup", Setup) })
            for (int i = 0; i < list.Count; i++)
                if (list[i].Contains('\n')) yield return ($"{key}[{i}]", "must be one line; add one item per line");
        // Values a job script holds as data must stay on their line (docs/security.md).
        foreach (var (key, value) in new[] { ("partition", Partition), ("account", Account), ("qos", Qos) })
            if (value is not null && !SlurmName().IsMatch(value))
                yield return (key, $"'{Printable(value)}' is not a Slurm name; use letters, digits and _ . , + - only");
        foreach (var (key, list) in new[] { ("extra_sbatch", ExtraSbatch), ("modules", Modules), ("setup", Setup) })
            for (int i = 0; i < list.Count; i++)
                if (list[i].Replace('\t', ' ').Any(char.IsControl) && !list[i].Contains('\n'))
                    yield return ($"{key}[{i}]", "holds a control character, which a job script cannot hold safely; remove it");
    }

    // Partition, account and QOS names as Slurm makes them (a comma separates a list of partitions).
    [GeneratedRegex(@"^[A-Za-z0-9_.,+\-]+$")]
    private static partial Regex SlurmName();

    // The plug-in lands in the job script as a word: nothing but a name.
    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$")]
    private static partial Regex SrunMpiName();

    /// <summary>Whether <paramref name="time"/> is a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]]).</summary>
    public static bool IsSlurmTime(string time) => SlurmTime().IsMatch(time.Trim());

    /// <summary>An <c>extra_sbatch</c> item as the option it sets (<c>--mem=8G</c>), or null when it is not one.</summary>
    public static string? SbatchOption(string item)
    {
        var text = item.Trim();
        if (text.StartsWith("#SBATCH", StringComparison.Ordinal)) text = text["#SBATCH".Length..].Trim();
        return text.Length > 1 && text[0] == '-' && !text.Contains('\n') ? text : null;
    }

    // As Cluster.Slurm.Shell.Comment: a value shown in a message stays on one line (Config uses nothing above it).
    private static string Printable(string text) => string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));

    [GeneratedRegex(@"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d{1,2}|\d+-\d{1,2}:\d{1,2}|\d+-\d{1,2}:\d{1,2}:\d{1,2}|infinite|unlimited)$")]
    private static partial Regex SlurmTime();
}
