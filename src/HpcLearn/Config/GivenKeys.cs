namespace HpcLearn.Config;

/// <summary>Whether a config gave a key (<see cref="IGivenKeys"/>).</summary>
public static class GivenKeys
{
    /// <summary>
    /// True when the YAML gave <paramref name="key"/>; for a config built in C#, when
    /// <paramref name="differsFromDefault"/> (a value equal to the default cannot be told apart).
    /// </summary>
    public static bool Has(object config, string key, bool differsFromDefault) =>
        config is IGivenKeys { Given: { } given } ? given.Contains(key) : differsFromDefault;
}
