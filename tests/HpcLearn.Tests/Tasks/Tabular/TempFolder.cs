namespace HpcLearn.Tests.Tasks.Tabular;

/// <summary>A fresh temporary folder for run folders and data files, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hpclearn-test-");

    /// <summary>The folder's absolute path.</summary>
    public string Path => _dir.FullName;

    /// <summary>A path inside the folder.</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> verbatim and returns the file's path.</summary>
    public string Write(string name, string text)
    {
        var file = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>Every file under <paramref name="folder"/>, by relative path, with its bytes.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string folder) => new(
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => System.IO.Path.GetRelativePath(folder, f), File.ReadAllBytes),
        StringComparer.Ordinal);

    /// <inheritdoc />
    public void Dispose()
    {
        try { _dir.Delete(recursive: true); }
        catch (IOException) { } // a leftover temp folder is not a test failure
    }
}
