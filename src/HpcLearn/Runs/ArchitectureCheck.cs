using System.Globalization;

namespace HpcLearn.Runs;

/// <summary>
/// Checks the numbers a task reads from <c>model.json</c> before it builds the network, so a
/// damaged or forged file is one <see cref="UserError"/> naming the file and the key instead of a
/// multi-gigabyte allocation, an exception from libtorch, or NaN predictions. The bounds are far
/// above any model hpclearn trains on one machine: a width (layer, embedding, channels, hidden
/// units) of at most <see cref="MaxWidth"/>, a depth (layers, blocks, heads) of at most
/// <see cref="MaxDepth"/>, and at most <see cref="MaxParameters"/> parameters in all, computed
/// from the architecture; it is the parameter count that stops layers such as [1e6, 1e6], each
/// width allowed but together a 4 TB matrix.
/// </summary>
public sealed class ArchitectureCheck
{
    /// <summary>The widest layer, embedding, channel count or hidden size: 1,000,000.</summary>
    public const int MaxWidth = 1_000_000;

    /// <summary>The most layers, blocks or heads: 10,000.</summary>
    public const int MaxDepth = 10_000;

    /// <summary>The most parameters a model may have: 2^31 (8 GiB as float32; GPT-2 XL has 1.5e9).</summary>
    public const long MaxParameters = 1L << 31;

    private const string Damaged = "the file is damaged or was not written by hpclearn";

    /// <summary>Checks values read from <paramref name="file"/> (named in every error).</summary>
    public ArchitectureCheck(string file) => File = file;

    /// <summary>The model.json being checked.</summary>
    public string File { get; }

    /// <summary>An error about <paramref name="key"/>: <c>file: key what; the file is damaged ...</c>.</summary>
    public UserError Error(string key, string what) => new($"{File}: {key} {what}; {Damaged}");

    /// <summary><paramref name="value"/> if it is a width from 1 to <see cref="MaxWidth"/>, else an error naming <paramref name="key"/>.</summary>
    public int Width(string key, long value) => (int)Range(key, value, 1, MaxWidth);

    /// <summary><paramref name="value"/> if it is a depth from <paramref name="min"/> to <see cref="MaxDepth"/>.</summary>
    public int Depth(string key, long value, int min = 1) => (int)Range(key, value, min, MaxDepth);

    /// <summary><paramref name="value"/> if it lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Range(string key, long value, long min, long max) =>
        value >= min && value <= max ? value : throw Error(key, Invariant($"is {value}; it must be from {min:N0} to {max:N0}"));

    /// <summary><paramref name="value"/> if it is a finite number.</summary>
    public double Finite(string key, double value) =>
        double.IsFinite(value) ? value : throw Error(key, Invariant($"is {value}; it must be a finite number"));

    /// <summary><paramref name="value"/> if it is a positive finite number (a standard deviation, a temperature, a scale).</summary>
    public double Positive(string key, double value) =>
        double.IsFinite(value) && value > 0 ? value : throw Error(key, Invariant($"is {value}; it must be a positive finite number"));

    /// <summary>Each element of <paramref name="values"/> is positive and finite (e.g. per-channel standard deviations).</summary>
    public void Positive(string key, IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++) Positive($"{key}[{i}]", values[i]);
    }

    /// <summary>Each element of <paramref name="values"/> is finite (e.g. per-channel means).</summary>
    public void Finite(string key, IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++) Finite($"{key}[{i}]", values[i]);
    }

    /// <summary>
    /// The network the architecture describes would have <paramref name="count"/> parameters
    /// (computed in double, so it cannot overflow): at most <see cref="MaxParameters"/>.
    /// </summary>
    public void Parameters(double count)
    {
        if (!(count <= MaxParameters))
            throw new UserError(Invariant($"{File}: the architecture in its details has {count:N0} parameters, over hpclearn's limit of {MaxParameters:N0}; {Damaged}"));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
