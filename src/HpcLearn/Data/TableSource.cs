namespace HpcLearn.Data;

/// <summary>Loads a table from a file, choosing the reader by the file's extension.</summary>
public static class TableSource
{
    /// <summary>The extensions <see cref="Load"/> reads, for help texts and error messages.</summary>
    public static IReadOnlyList<string> SupportedExtensions { get; } = [".csv", ".tsv", ".txt", ".json"];

    /// <summary>
    /// Loads <paramref name="path"/>: <c>.csv</c>, <c>.txt</c> (delimiter detected) and <c>.tsv</c>
    /// (tab unless <see cref="CsvOptions.Delimiter"/> says otherwise) with <see cref="CsvSource"/>;
    /// <c>.json</c> with <see cref="JsonRecordsSource"/>, where only the forced column types of
    /// <paramref name="options"/> apply.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read delimited text (and which columns are forced to a type).</param>
    /// <param name="stop">Ends a long CSV load early with <see cref="OperationCanceledException"/> (a stop signal).</param>
    /// <exception cref="UserError">The format is not supported, or the reader refused the file.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="stop"/> was cancelled.</exception>
    public static Table Load(string path, CsvOptions? options = null, CancellationToken stop = default)
    {
        DataFile.EnsureExists(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" or ".txt" => CsvSource.Load(path, options, stop),
            ".tsv" => CsvSource.Load(path, (options ?? new CsvOptions()) with { Delimiter = options?.Delimiter ?? '\t' }, stop),
            ".json" => ForcedKinds.Apply(JsonRecordsSource.Load(path), options),
            _ => throw new UserError($"data file '{path}' has "
                + (extension.Length == 0 ? "no extension" : $"the unsupported extension '{extension}'")
                + "; supported: .csv, .tsv, .txt (delimited text with a header line) and .json (an array of records)"),
        };
    }
}
