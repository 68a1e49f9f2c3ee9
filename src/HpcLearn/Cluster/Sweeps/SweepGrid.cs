using HpcLearn.Config;

namespace HpcLearn.Cluster.Sweeps;

/// <summary>
/// A hyper-parameter grid from <c>--grid key=v1,v2,...</c> options: every combination of the
/// values (the first key varies slowest), or a random sample of them. Values are written as for
/// <c>--set</c>, so a list value keeps its commas inside brackets: <c>model.layers=[64,32],[128]</c>.
/// </summary>
public sealed class SweepGrid
{
    /// <summary>The most points a sweep may have (Slurm's default MaxArraySize is 1001).</summary>
    public const int MaxPoints = 1000;

    private SweepGrid(IReadOnlyList<SweepAxis> axes) => Axes = axes;

    /// <summary>The axes, in the order given.</summary>
    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>Number of combinations.</summary>
    public long Size => Axes.Aggregate(1L, (n, a) => n * a.Values.Count);

    /// <summary>Parses the <c>--grid</c> options.</summary>
    /// <exception cref="UserError">No option, a malformed one, an empty value or a key given twice.</exception>
    public static SweepGrid Parse(IReadOnlyList<string> options)
    {
        if (options.Count == 0)
            throw new UserError("sweep: the grid is empty; add at least one --grid KEY=V1,V2 (e.g. --grid train.lr=1e-3,3e-3)");
        var axes = new List<SweepAxis>();
        foreach (var text in options)
        {
            // A value travels through points.tsv (tab-separated lines) into the job: it must stay one field.
            if (Slurm.Shell.HasControl(text))
                throw new UserError($"--grid '{Slurm.Shell.Comment(text)}': holds a control character (tab, line break, ...), which the point table cannot hold; remove it");
            int eq = text.IndexOf('=');
            string key = eq > 0 ? text[..eq].Trim() : "";
            if (key.Length == 0 || key.Split('.').Any(p => p.Trim().Length == 0))
                throw new UserError($"--grid '{text}': expected KEY=V1,V2,... (e.g. train.lr=1e-3,3e-3)");
            if (key == "name")
                throw new UserError($"--grid '{text}': 'name' is set by the sweep itself (each point's run folder is its index)");
            var values = SplitValues(text[(eq + 1)..]);
            if (values.Count == 0)
                throw new UserError($"--grid '{text}': no values after '='; list them separated by commas (e.g. {key}=1,2)");
            if (values.Any(v => v.Length == 0))
                throw new UserError($"--grid '{text}': empty value between commas");
            if (axes.Any(a => a.Key == key))
                throw new UserError($"--grid '{text}': '{key}' is already swept by another --grid; give all its values in one");
            axes.Add(new SweepAxis(key, values, text));
        }
        return new SweepGrid(axes);
    }

    /// <summary>Every combination, in order: the first axis varies slowest.</summary>
    /// <exception cref="UserError">More than <see cref="MaxPoints"/> combinations.</exception>
    public IReadOnlyList<SweepPoint> All()
    {
        CheckSize(Size, "the grid has");
        return Enumerable.Range(0, (int)Size).Select((c, i) => Point(i, c)).ToList();
    }

    /// <summary>
    /// <paramref name="samples"/> different combinations drawn at random with <paramref name="seed"/>
    /// (random search), numbered in the order of the full grid.
    /// </summary>
    /// <exception cref="UserError">Fewer than 1 sample or more samples than combinations.</exception>
    public IReadOnlyList<SweepPoint> Sample(int samples, int seed)
    {
        if (samples < 1) throw new UserError($"--samples must be at least 1, got {samples}");
        if (samples > Size)
            throw new UserError($"--samples {samples} is more than the {Size} combinations of the grid; use at most {Size}, or leave --samples out for the whole grid");
        CheckSize(samples, "--samples asks for");
        var rng = new Random(seed);
        var picked = new HashSet<long>();
        while (picked.Count < samples) picked.Add(rng.NextInt64(Size));
        return picked.Order().Select((c, i) => Point(i, c)).ToList();
    }

    private SweepPoint Point(int index, long combination)
    {
        // Mixed-radix digits of the combination number, last axis fastest.
        var overrides = new string[Axes.Count];
        for (int a = Axes.Count - 1; a >= 0; a--)
        {
            var axis = Axes[a];
            overrides[a] = $"{axis.Key}={axis.Values[(int)(combination % axis.Values.Count)]}";
            combination /= axis.Values.Count;
        }
        return new SweepPoint(index, overrides);
    }

    private static void CheckSize(long n, string what)
    {
        if (n > MaxPoints)
            throw new UserError($"sweep: {what} {n} points, more than {MaxPoints} (Slurm's default array limit); sample some with --samples N");
    }

    // Commas split values only outside brackets, braces and quotes: [64,32],[128] is two values.
    private static List<string> SplitValues(string text)
    {
        var values = new List<string>();
        if (text.Trim().Length == 0) return values;
        int depth = 0, start = 0;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quote != '\0') { if (ch == quote) quote = '\0'; continue; }
            switch (ch)
            {
                case '\'' or '"': quote = ch; break;
                case '[' or '{': depth++; break;
                case ']' or '}': depth--; break;
                case ',' when depth == 0:
                    values.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }
        values.Add(text[start..].Trim());
        return values;
    }
}
