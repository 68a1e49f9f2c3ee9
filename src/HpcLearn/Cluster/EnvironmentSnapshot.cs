using System.Collections;

namespace HpcLearn.Cluster;

/// <summary>A copy of the process environment as a dictionary, so code reads an injected map.</summary>
public static class EnvironmentSnapshot
{
    /// <summary>The current process's environment variables.</summary>
    public static IReadOnlyDictionary<string, string> Current()
    {
        var map = new Dictionary<string, string>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            map[(string)e.Key] = e.Value as string ?? "";
        return map;
    }
}
