namespace HpcLearn.Cluster.Sweeps;

/// <summary>One swept key and its values, as given by one <c>--grid</c> option.</summary>
/// <param name="Key">The dotted config key (<c>train.lr</c>).</param>
/// <param name="Values">Its values, as written (<c>1e-3</c>, <c>[64,32]</c>).</param>
/// <param name="Text">The option as given, for messages.</param>
public sealed record SweepAxis(string Key, IReadOnlyList<string> Values, string Text);
