using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// <c>status --json</c>: what the text says, as keys. No placeholders: <c>job</c> only for a submitted
/// or local job, <c>failure</c> only after a failed attempt, <c>checkpoint</c>, <c>last_epoch</c> and
/// <c>result</c> only once there is one. <c>progress</c> is the text's progress line.
/// </summary>
internal static class StatusJson
{
    public static string Run(RunStatus run, StatusText.JobView? job)
    {
        var json = new JsonObject { ["kind"] = "run", ["run"] = run.Folder };
        if (job is not null) json["job"] = Job(job);
        if (run.Inputs is { } inputs)
            json["inputs"] = new JsonObject
            {
                ["digest"] = inputs.Digest, ["short"] = inputs.ShortDigest, ["files"] = inputs.Inputs.Sum(i => i.Files),
                ["bytes"] = inputs.Inputs.Sum(i => i.Bytes), ["generated"] = inputs.Inputs.Count == 0,
            };
        json["state"] = State(run, job?.State);
        json["progress"] = StatusText.Progress(run, job?.State);
        if (run.Failure is { } f)
        {
            var failure = new JsonObject { ["exit_code"] = f.ExitCode, ["failed_at_utc"] = f.EndedUtc, ["host"] = f.Host, ["attempt"] = f.Attempt };
            if (f.Reason is not null) failure["reason"] = f.Reason;
            if (f.JobId is not null) failure["job_id"] = f.JobId;
            json["failure"] = failure;
        }
        else if (run.Summary is null && run.InUse is null && run.Attempts.LastOrDefault() is { Outcome: RunAttempt.Stopped } stop)
            json["stopped"] = new JsonObject { ["reason"] = stop.Reason ?? "stopped", ["at_utc"] = stop.EndedUtc, ["attempt"] = stop.Attempt };
        if (run.Checkpoint is { } c)
            json["checkpoint"] = new JsonObject { ["path"] = c.Path, ["epoch"] = c.Epoch, ["step"] = c.Step, ["written_utc"] = c.CreatedUtc };
        else if (run.OtherCheckpoint is { } other)
            json["checkpoint"] = new JsonObject { ["path"] = other, ["written_utc"] = File.GetLastWriteTimeUtc(other) };
        if (run.SkippedCheckpoints.Count > 0)
            json["warnings"] = new JsonArray([.. run.SkippedCheckpoints.Select(w => (JsonNode)("checkpoint " + w))]);
        if (run.LastMetrics is { } m)
        {
            var last = new JsonObject();
            foreach (var (key, value) in m)
                last[key] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? JsonValue.Create(d) : JsonValue.Create(value);
            json["last_epoch"] = last;
        }
        if (run.Summary is { } summary)
        {
            var primary = summary.PrimaryMetric ?? summary.Metrics.Keys.FirstOrDefault();
            if (primary is not null && summary.Metrics.TryGetValue(primary, out double v))
            {
                var result = new JsonObject { ["metric"] = primary, ["value"] = v };
                if (summary.Baseline.TryGetValue(primary, out double b)) result["baseline"] = b;
                result["model"] = Path.Combine(run.Folder, "model");
                json["result"] = result;
            }
        }
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static string Sweep(string folder, IReadOnlyList<SweepPoint> points, StatusText.JobView? job)
    {
        var json = new JsonObject { ["kind"] = "sweep", ["sweep"] = folder, ["points"] = points.Count };
        var tasks = job?.Tasks ?? new Dictionary<int, string>();
        if (job is not null) json["job"] = Job(job);
        var list = new JsonArray();
        foreach (var p in points)
        {
            var run = RunStatus.Read(SweepJobs.PointDir(folder, p.Index));
            var point = new JsonObject
            {
                ["index"] = p.Index,
                ["parameters"] = p.ToString(),
                ["state"] = State(run, tasks.GetValueOrDefault(p.Index)),
                ["progress"] = StatusText.Progress(run, tasks.GetValueOrDefault(p.Index)),
            };
            if (run.Summary is null && run.Failure is { Reason: { } reason } && !SweepFailures.Live.Contains(tasks.GetValueOrDefault(p.Index) ?? ""))
                point["failure_reason"] = reason;
            list.Add(point);
        }
        json["point_status"] = list;
        var failed = SweepFailures.Find(folder, points, tasks);
        if (failed.Count > 0)
        {
            json["failed"] = new JsonArray([.. failed.Select(f => (JsonNode)f.Index)]);
            json["rerun"] = $"hpclearn sweep --rerun-failed {folder}";
        }
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Job(StatusText.JobView job)
    {
        var o = new JsonObject { ["line"] = job.Line };
        if (job.State is not null) o["state"] = job.State;
        if (job.Restarts is { } n) o["restarts"] = n;
        if (job.Accounting is { } a) o["accounting"] = a;
        if (job.Tasks.Count > 0)
        {
            var t = new JsonObject();
            foreach (var (index, state) in job.Tasks.OrderBy(p => p.Key)) t[index.ToString(CultureInfo.InvariantCulture)] = state;
            o["tasks"] = t;
        }
        return o;
    }

    // One word for scripts: finished, failed, stopped, running or not_started.
    private static string State(RunStatus run, string? slurmState)
    {
        if (run.Summary is not null) return "finished";
        if (run.Failure is not null) return slurmState is not null && SweepFailures.Live.Contains(slurmState) ? "running" : "failed";
        if (slurmState is not null && Cluster.Slurm.SlurmJobState.FailureStates.Contains(slurmState)) return "failed";
        if (run.Attempts.LastOrDefault() is { Outcome: RunAttempt.Stopped } && run.InUse is null) return "stopped";
        if (run.InUse is not null || slurmState is "RUNNING" || run.Checkpoint is not null || run.LastMetrics is not null) return slurmState is "PENDING" ? "pending" : "running";
        return slurmState is "PENDING" ? "pending" : "not_started";
    }
}
