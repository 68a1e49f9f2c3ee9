namespace HpcLearn.Runs.Metrics;

/// <summary>
/// <c>metrics.csv</c> read back as columns, one entry per row, NaN where a cell was empty.
/// </summary>
/// <param name="Step">The step column (NaN everywhere in a file without one).</param>
/// <param name="Epoch">The epoch column (NaN where it has no meaning).</param>
/// <param name="Columns">Every other column, in file order.</param>
public sealed record MetricsHistory(double[] Step, double[] Epoch, IReadOnlyList<KeyValuePair<string, double[]>> Columns)
{
    /// <summary>Rows in the file.</summary>
    public int Count => Step.Length;

    /// <summary>Whether every row has an epoch (the Learner's tasks), so curves are drawn against it.</summary>
    public bool HasEpochs => Count > 0 && Epoch.All(double.IsFinite);

    /// <summary>The x axis of a curve: the epoch where every row has one, else the step.</summary>
    public double[] X => HasEpochs ? Epoch : Step;

    /// <summary>The name of <see cref="X"/>: "epoch" or "step".</summary>
    public string XName => HasEpochs ? "epoch" : "step";

    /// <summary>The column called <paramref name="name"/>, or null.</summary>
    public double[]? Column(string name) => Columns.FirstOrDefault(c => c.Key == name).Value;

    /// <summary>Whether the file has a column called <paramref name="name"/> with at least one value.</summary>
    public bool Has(string name) => Column(name)?.Any(double.IsFinite) == true;
}
