namespace HpcLearn.Config;

/// <summary>One key whose value differs between two resolved configs.</summary>
/// <param name="Key">The dotted key, e.g. <c>model.layers</c>.</param>
/// <param name="Before">The value in the first config as YAML text (<c>[64, 32]</c>), or null when it lacks the key.</param>
/// <param name="After">The value in the second config, or null when it lacks the key.</param>
public sealed record ConfigDifference(string Key, string? Before, string? After);
