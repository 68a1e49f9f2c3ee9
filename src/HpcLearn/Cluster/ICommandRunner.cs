namespace HpcLearn.Cluster;

/// <summary>
/// Runs an external program (sbatch, squeue, scontrol, ...) and returns what it printed.
/// Injected so tests fake Slurm with canned answers instead of needing one.
/// </summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> and waits for it.</summary>
    /// <returns>Its exit code and output; exit code 127 when the program is not installed.</returns>
    CommandResult Run(string program, IReadOnlyList<string> arguments);
}
