using HpcLearn.Cluster;

namespace HpcLearn.Cli.Commands;

/// <summary>Runs a job script here, without Slurm, in the background (<c>submit --local</c>).</summary>
internal static class LocalJob
{
    /// <summary>Starts <c>bash SCRIPT</c> in its own session, appending to <paramref name="log"/>; returns its pid.</summary>
    /// <exception cref="UserError">bash could not start it.</exception>
    public static int Start(ICommandRunner commands, string script, string log)
    {
        // setsid: the job is not in this terminal's process group, so Ctrl-C here does not stop it.
        var r = commands.Run("bash", ["-c", "setsid bash \"$0\" >>\"$1\" 2>&1 </dev/null & echo $!", script, log]);
        return r.Ok && int.TryParse(r.StdOut.Trim(), out int pid)
            ? pid
            : throw new UserError($"could not start {script} with bash: {r.ErrorLine}");
    }
}
