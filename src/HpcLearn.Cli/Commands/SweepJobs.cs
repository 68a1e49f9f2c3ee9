using System.Globalization;
using HpcLearn.Cluster.Slurm;
using HpcLearn.Config;
using HpcLearn.Runs;
using HpcLearn.Training;

namespace HpcLearn.Cli.Commands;

/// <summary>
/// The job arrays submitted for a sweep, <c>job.arrays</c> in the sweep folder: one line each,
/// <c>ID TAB INDICES</c> (<c>0-9%4</c>, then <c>3,7</c> for a <c>--rerun-failed</c>); <c>job.id</c>
/// holds the newest. A sweep from before this file is its <c>job.id</c> over every point.
/// </summary>
internal static class SweepJobs
{
    public const string FileName = "job.arrays";

    /// <summary>The arrays, oldest first, each with the points it runs.</summary>
    public static IReadOnlyList<(string Id, IReadOnlyList<int> Indices)> Read(string sweepDir, IReadOnlyList<SweepPoint> points)
    {
        string path = Path.Combine(sweepDir, FileName);
        var arrays = File.Exists(path)
            ? File.ReadAllLines(path).Select(l => l.Split('\t')).Where(f => f.Length == 2 && f[0].Length > 0)
                .Select(f => (f[0], SlurmArray.Indices(f[1]))).ToList()
            : [];
        if (arrays.Count == 0 && RunStatus.Read(sweepDir).JobId is { } id) arrays.Add((id, points.Select(p => p.Index).ToList()));
        return arrays;
    }

    /// <summary>The newest array that runs point <paramref name="index"/>, or null.</summary>
    public static string? ArrayOf(string sweepDir, IReadOnlyList<SweepPoint> points, int index) =>
        Read(sweepDir, points).LastOrDefault(a => a.Indices.Contains(index)).Id;

    /// <summary>Records array <paramref name="id"/> over <paramref name="indices"/> and makes it the sweep's job.id.</summary>
    public static void Add(string sweepDir, string id, string indices)
    {
        string path = Path.Combine(sweepDir, FileName);
        WriteFailure.Guard(path, () => File.AppendAllText(path, $"{id}\t{indices}\n"));
        AtomicFile.WriteAllText(Path.Combine(sweepDir, RunStatus.JobIdFile), id);
    }

    /// <summary>The folder of point <paramref name="index"/>.</summary>
    public static string PointDir(string sweepDir, int index) => Path.Combine(sweepDir, index.ToString(CultureInfo.InvariantCulture));
}
