using System.Text;

namespace HpcLearn.Config;

/// <summary>
/// The sweep's point table, <c>points.tsv</c>: one line per point, <c>INDEX TAB key=value TAB ...</c>,
/// which each array task reads by its <c>SLURM_ARRAY_TASK_ID</c> (with awk, no hpclearn needed).
/// </summary>
public static class PointTable
{
    /// <summary>The file name inside a sweep folder.</summary>
    public const string FileName = "points.tsv";

    /// <summary>The table's text.</summary>
    public static string Format(IEnumerable<SweepPoint> points)
    {
        var s = new StringBuilder();
        foreach (var p in points) s.Append(p.Index).Append('\t').AppendJoin('\t', p.Overrides).Append('\n');
        return s.ToString();
    }

    /// <summary>Writes the table into <paramref name="sweepFolder"/>; returns its path.</summary>
    /// <exception cref="UserError">A value holds a tab or a line break (the table could not be read back).</exception>
    public static string Write(string sweepFolder, IReadOnlyList<SweepPoint> points)
    {
        foreach (var o in points.SelectMany(p => p.Overrides))
            if (o.IndexOfAny(['\t', '\n', '\r']) >= 0) throw new UserError($"--grid value '{o}' holds a tab or line break; remove it");
        var path = Path.Combine(sweepFolder, FileName);
        File.WriteAllText(path, Format(points));
        return path;
    }

    /// <summary>Reads the table in <paramref name="sweepFolder"/>; empty when there is none.</summary>
    public static IReadOnlyList<SweepPoint> Read(string sweepFolder)
    {
        var path = Path.Combine(sweepFolder, FileName);
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split('\t'))
            .Where(f => int.TryParse(f[0], out _))
            .Select(f => new SweepPoint(int.Parse(f[0]), f[1..])).ToList();
    }
}
