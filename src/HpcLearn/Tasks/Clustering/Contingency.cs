namespace HpcLearn.Tasks.Clustering;

/// <summary>The contingency table of two labellings (any integer labels, mapped to 0..r-1 and 0..c-1 in order of first appearance).</summary>
internal sealed class Contingency
{
    public readonly long[,] Table;
    public readonly long[] Rows, Cols;
    public readonly long N;

    public Contingency(int[] a, int[] b)
    {
        if (a is null || b is null || a.Length != b.Length)
            throw new UserError($"cluster metrics: the two labellings must have the same length (got {a?.Length ?? 0} and {b?.Length ?? 0})");
        if (a.Length == 0) throw new UserError("cluster metrics: the labellings are empty");
        var ra = Dense(a, out int r);
        var rb = Dense(b, out int c);
        Table = new long[r, c]; Rows = new long[r]; Cols = new long[c]; N = a.Length;
        for (int i = 0; i < a.Length; i++) { Table[ra[i], rb[i]]++; Rows[ra[i]]++; Cols[rb[i]]++; }
    }

    /// <summary>A table counted elsewhere (truth × predicted), e.g. over a stream of rows; empty rows and columns are allowed.</summary>
    public Contingency(long[,] table)
    {
        Table = table;
        Rows = new long[table.GetLength(0)]; Cols = new long[table.GetLength(1)];
        for (int a = 0; a < Rows.Length; a++)
            for (int b = 0; b < Cols.Length; b++) { Rows[a] += table[a, b]; Cols[b] += table[a, b]; N += table[a, b]; }
        if (N == 0) throw new UserError("cluster metrics: the labellings are empty");
    }

    /// <summary>Labels renumbered 0..count-1 in order of first appearance.</summary>
    public static int[] Dense(int[] labels, out int count)
    {
        var map = new Dictionary<int, int>();
        var r = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!map.TryGetValue(labels[i], out int v)) { v = map.Count; map[labels[i]] = v; }
            r[i] = v;
        }
        count = map.Count;
        return r;
    }

    public static double Comb2(long m) => m * (m - 1) / 2.0;

    public static double Entropy(long[] counts, long n)
    {
        double h = 0;
        foreach (long c in counts) if (c > 0) { double p = (double)c / n; h -= p * Math.Log(p); }
        return h;
    }
}
