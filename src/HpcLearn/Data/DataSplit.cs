namespace HpcLearn.Data;

/// <summary>
/// Train/validation splits as row indices. Deterministic for a seed (<see cref="System.Random"/>
/// with a seed gives the same sequence on every run and platform), so a run can be repeated
/// and every MPI rank computes the same split without talking to the others.
/// Both index arrays are sorted ascending, disjoint, and together cover every row.
/// </summary>
public static class DataSplit
{
    /// <summary>A uniformly random split of <paramref name="n"/> rows; at least one row lands on each side.</summary>
    /// <exception cref="UserError">Fewer than 2 rows, or <paramref name="validFraction"/> is not strictly between 0 and 1.</exception>
    public static (int[] Train, int[] Valid) Random(int n, double validFraction, int seed)
    {
        CheckFraction(validFraction);
        CheckRows(n);
        var rows = Enumerable.Range(0, n).ToArray();
        Shuffle(rows, new System.Random(seed));
        return Sorted(rows, ValidCount(n, validFraction));
    }

    /// <summary>
    /// A split that keeps each class's share in both sets: every class is shuffled on its own and
    /// round(count × <paramref name="validFraction"/>) of it (at least 1, at most count − 1) goes
    /// to validation. Classes are taken in ordinal order of their labels, so the result does not
    /// depend on the order of the rows' classes in the file.
    /// </summary>
    /// <exception cref="UserError">A label is missing, a class has a single example, or the fraction is out of range.</exception>
    public static (int[] Train, int[] Valid) Stratified(IReadOnlyList<string?> labels, double validFraction, int seed)
    {
        CheckFraction(validFraction);
        CheckRows(labels.Count);
        var unlabelled = labels.Count(l => l is null);
        if (unlabelled > 0)
            throw new UserError($"{unlabelled} row{(unlabelled == 1 ? " has" : "s have")} a missing label; a stratified split needs a label on every row: remove those rows");
        var classes = Enumerable.Range(0, labels.Count)
            .GroupBy(r => labels[r]!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Label: g.Key, Rows: g.ToArray()))
            .ToList();
        if (classes.FirstOrDefault(c => c.Rows.Length < 2) is { Label: not null } single)
            throw new UserError($"class '{single.Label}' has only 1 example; a stratified split needs at least 2 per class: remove those rows or set data.split: random");

        var random = new System.Random(seed);
        var train = new List<int>(labels.Count);
        var valid = new List<int>();
        foreach (var (_, rows) in classes)
        {
            Shuffle(rows, random);
            var k = ValidCount(rows.Length, validFraction);
            valid.AddRange(rows.AsSpan(0, k));
            train.AddRange(rows.AsSpan(k));
        }
        train.Sort();
        valid.Sort();
        return (train.ToArray(), valid.ToArray());
    }

    private static void CheckFraction(double validFraction)
    {
        if (!(validFraction > 0 && validFraction < 1))
            throw new UserError($"the validation fraction must be between 0 and 1 (exclusive), not {validFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private static void CheckRows(int n)
    {
        if (n < 2) throw new UserError($"cannot split {n} row{(n == 1 ? "" : "s")} into training and validation sets; the data needs at least 2 rows");
    }

    private static int ValidCount(int n, double validFraction) =>
        Math.Clamp((int)Math.Round(n * validFraction, MidpointRounding.AwayFromZero), 1, n - 1);

    // Fisher–Yates written out rather than Random.Shuffle, so the split cannot change with the runtime's version.
    private static void Shuffle(int[] rows, System.Random random)
    {
        for (var i = rows.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }

    private static (int[] Train, int[] Valid) Sorted(int[] shuffled, int validCount)
    {
        var valid = shuffled[..validCount];
        var train = shuffled[validCount..];
        Array.Sort(valid);
        Array.Sort(train);
        return (train, valid);
    }
}
