using System.Globalization;
using CsvHelper;

namespace HpcLearn.Data;

/// <summary>Writes a <see cref="Table"/> as CSV (RFC 4180 quoting; missing values empty).</summary>
public static class TableCsvWriter
{
    /// <summary>Writes <paramref name="table"/> to <paramref name="output"/>.</summary>
    public static void Write(Table table, TextWriter output)
    {
        using var csv = new CsvWriter(output, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (var c in table.Columns) csv.WriteField(c.Name);
        csv.NextRecord();
        for (int r = 0; r < table.RowCount; r++)
        {
            foreach (var c in table.Columns) csv.WriteField(c.Format(r));
            csv.NextRecord();
        }
    }

    /// <summary>A copy of <paramref name="table"/> without the named columns.</summary>
    public static Table Without(Table table, params string[] columns)
        => new(table.Columns.Where(c => !columns.Contains(c.Name)).ToList(), table.Source);
}
