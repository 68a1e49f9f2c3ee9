namespace HpcLearn.Tests;

/// <summary>Paths in the repository the tests run from (found above the test binaries).</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> _root = new(() =>
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "HpcLearn.slnx"))) return d.FullName;
        throw new InvalidOperationException("repository root (HpcLearn.slnx) not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository's root folder (the one holding HpcLearn.slnx).</summary>
    public static string Root => _root.Value;

    /// <summary>The shipped example configs: examples/.</summary>
    public static string Examples => Path.Combine(Root, "examples");
}
