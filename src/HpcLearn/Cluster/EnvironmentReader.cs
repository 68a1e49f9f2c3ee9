using System.Globalization;

namespace HpcLearn.Cluster;

/// <summary>
/// Reads integers from an injected environment. A malformed value is a <see cref="UserError"/>
/// that says which variable, what it held, and what to change to fix it.
/// </summary>
internal sealed class EnvironmentReader(IReadOnlyDictionary<string, string> env)
{
    public bool Has(string name) => env.ContainsKey(name);

    public string? Text(string name) => env.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    /// <summary>The value as an integer of at least 1, or null when the variable is absent.</summary>
    public int? Positive(string name) => Int(name, min: 1, "a positive integer");

    /// <summary>The value as an integer of at least 0, or null when the variable is absent.</summary>
    public int? NonNegative(string name) => Int(name, min: 0, "a non-negative integer");

    private int? Int(string name, int min, string what)
    {
        if (!env.TryGetValue(name, out var s)) return null;
        if (int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min) return v;
        throw new UserError($"{name} is '{s}', not {what}; {Fix(name)}");
    }

    /// <summary>What the user changes to correct a variable: the sbatch option behind it, or the launcher that sets it.</summary>
    public static string Fix(string name) => name switch
    {
        "SLURM_NTASKS" or "SLURM_NPROCS" => "fix --ntasks in your sbatch script",
        "SLURM_NNODES" or "SLURM_JOB_NUM_NODES" or "SLURM_STEP_NUM_NODES" => "fix --nodes in your sbatch script",
        "SLURM_NTASKS_PER_NODE" => "fix --ntasks-per-node in your sbatch script",
        "SLURM_CPUS_PER_TASK" => "fix --cpus-per-task in your sbatch script",
        "SLURM_CPUS_ON_NODE" => "fix --cpus-per-task and --ntasks-per-node in your sbatch script",
        "SLURM_ARRAY_TASK_ID" => "fix --array in your sbatch script",
        _ when name.StartsWith("SLURM_", StringComparison.Ordinal) =>
            "Slurm sets it for each task: start the program with srun in your sbatch script and do not set it by hand",
        _ => "the MPI launcher sets it: start the program with mpirun -np N (or srun) and do not set it by hand",
    };
}
