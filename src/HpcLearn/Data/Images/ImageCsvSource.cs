namespace HpcLearn.Data.Images;

/// <summary>
/// A CSV of (path, label) rows with a header; paths are relative to the CSV's folder unless
/// absolute. Classes are the labels in sorted order.
/// </summary>
public static class ImageCsvSource
{
    /// <summary>Loads the images listed in <paramref name="csvPath"/>.</summary>
    /// <param name="csvPath">The CSV file.</param>
    /// <param name="options">Size, channels and tolerance of bad files.</param>
    /// <param name="pathColumn">Header of the file column. Default "path".</param>
    /// <param name="labelColumn">Header of the label column. Default "label".</param>
    public static ImageSet Load(string csvPath, ImageLoadOptions options, string pathColumn = "path", string labelColumn = "label")
    {
        if (!File.Exists(csvPath)) throw new UserError($"{csvPath}: no such file; data.path must be a CSV of (path, label) rows");
        // Only the empty cell counts as missing: "NA" may well be a class.
        var table = CsvSource.Load(csvPath, new CsvOptions { MissingTokens = [""] });
        if (!table.Columns.Any(c => c.Name == pathColumn)) throw new UserError($"{csvPath}: no column '{pathColumn}' (the image file of each row)");
        if (!table.Columns.Any(c => c.Name == labelColumn)) throw new UserError($"{csvPath}: no column '{labelColumn}' (the class of each row)");
        var paths = table[pathColumn];
        var labels = table[labelColumn];
        string dir = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var classes = Enumerable.Range(0, table.RowCount).Select(r => labels.Format(r)).Where(s => s.Length > 0)
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2) throw new UserError($"{csvPath}: column '{labelColumn}' has {classes.Length} class(es); a classifier needs at least two");
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var files = new List<(string, int)>();
        for (int r = 0; r < table.RowCount; r++)
        {
            int line = r + 2; // the header is line 1
            string rel = paths.Format(r), label = labels.Format(r);
            if (rel.Length == 0) throw new UserError($"{csvPath}:{line}: empty '{pathColumn}'");
            if (label.Length == 0) throw new UserError($"{csvPath}:{line}: empty '{labelColumn}' for {rel}");
            string full = Path.IsPathRooted(rel) ? rel : Path.Combine(dir, rel);
            if (!File.Exists(full)) throw new UserError($"{csvPath}:{line}: label '{label}' names the file {rel}, which does not exist (paths are relative to the CSV's folder)");
            files.Add((full, index[label]));
        }
        return ImageListLoader.Load(files, classes, options, csvPath);
    }
}
