using HpcLearn.Cluster;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// The Slurm side of <c>train</c>: the job's deadline before training, and after a stop for the
/// deadline or a signal, the requeue (rank 0 only) and the lines that say what happened.
/// </summary>
internal sealed class JobStop(RunConfig cfg, CliHost host, ClusterEnvironment cluster, TextWriter stdout, TextWriter stderr)
{
    private string? JobId => host.Environment.GetValueOrDefault("SLURM_JOB_ID") is { Length: > 0 } id ? id : null;

    /// <summary>
    /// The job to requeue: for a member of a job array, <c>ARRAYID_TASKID</c>. Its own SLURM_JOB_ID
    /// would do for the array's first task only: Slurm gives the array's id to it, and requeueing that
    /// id requeues every task of the array, finished ones included.
    /// </summary>
    internal static string RequeueTarget(IReadOnlyDictionary<string, string> env, string jobId) =>
        env.GetValueOrDefault("SLURM_ARRAY_JOB_ID") is { Length: > 0 } array && env.GetValueOrDefault("SLURM_ARRAY_TASK_ID") is { Length: > 0 } task
            ? $"{array}_{task}"
            : jobId;

    /// <summary>
    /// The run's stop token: the signals listened for, and under Slurm the job's end time minus the
    /// margin (said in one line). The task adds its own <c>train.max_time</c> budget.
    /// </summary>
    public RunStop Stop(StopSignals signals)
    {
        var end = cluster.JobEndTime;
        if (JobId is { } id)
        {
            string when = end is { } e ? $"ends {e.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "has no known end time";
            stdout.WriteLine($"job {id} {when}; checkpoint and stop {cfg.Cluster.MarginSeconds} s before it" +
                (signals.Names.Count > 0 ? $" or on {string.Join(", ", signals.Names)}" : ""));
        }
        return new RunStop(signals.Token, host.Clock)
        {
            Signals = () => signals.Received, EndTime = end, Margin = TimeSpan.FromSeconds(cfg.Cluster.MarginSeconds),
        };
    }

    /// <summary>Requeues where wanted and prints how the run stopped and how to go on.</summary>
    /// <param name="stop">The run's stop token, which recorded why the run stopped.</param>
    /// <param name="resumeCommand">The command that resumes from the checkpoint; null when the run stopped before training began and has none.</param>
    public void AfterStop(RunStop stop, string? resumeCommand)
    {
        if (resumeCommand is not null) stdout.WriteLine($"resume with: {resumeCommand}");
        if (JobId is not { } id) return;
        // TERM, INT, HUP, QUIT mean Slurm or the user is ending the job (scancel, time limit,
        // pre-emption, which requeues by itself where the partition says so): no requeue then.
        bool deadlineStop = stop.Cause == StopCause.Deadline || stop.Signal is "USR1" or "USR2";
        // From the cluster, not SLURM_PROCID: under mpirun in a job every rank inherits SLURM_PROCID=0.
        if (!cluster.IsRankZero) return;
        string target = RequeueTarget(host.Environment, id);
        if (!deadlineStop)
        {
            if (stop.Signal is { } signal) stdout.WriteLine(WhyEnded(signal));
            // The user's own cap on the attempt: going round again would only use it up again.
            else if (stop.Cause == StopCause.Budget) stdout.WriteLine($"train.max_time is used up: job {target} is not requeued");
            return;
        }
        if (!cfg.Cluster.Requeue)
        {
            stdout.WriteLine($"cluster.requeue is false: job {target} is not requeued");
            return;
        }
        int restarts = TrainCommand.Restarts(host.Environment);
        if (restarts >= cfg.Cluster.MaxRequeues)
        {
            stdout.WriteLine($"job {target} is not requeued: it has been requeued {restarts} times and cluster.max_requeues is {cfg.Cluster.MaxRequeues}; " +
                "give it more time per attempt (--time), or resume it by hand");
            return;
        }
        if (new SlurmClient(host.Commands).Requeue(target) is { } error) stderr.WriteLine($"error: {error}");
        else stdout.WriteLine(resumeCommand is null
            ? $"requeued job {target}: it starts again when Slurm runs it again"
            : $"requeued job {target}: it resumes from this checkpoint when Slurm starts it again");
    }

    // TERM (and INT, HUP, QUIT) mean Slurm or a person is ending the job: say which it likely was.
    private string WhyEnded(string signal)
    {
        if (cluster.JobEndTime is { } end && host.Clock.GetUtcNow() >= end - TimeSpan.FromSeconds(cfg.Cluster.MarginSeconds + 60))
            return $"{signal} at the job's time limit ({end.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC): Slurm is ending the job; not requeued";
        return $"{signal} before the job's time limit: scancel or pre-emption (a partition that requeues pre-empted jobs does so itself); not requeued";
    }
}
