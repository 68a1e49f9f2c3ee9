namespace HpcLearn.Data;

/// <summary>
/// Passes a delimited file through to the CSV parser unchanged while counting the header's
/// fields (delimiters outside quotes) as they stream by. CsvHelper holds every field of a row at
/// once, so a header of millions of columns would take gigabytes before any check could look at
/// it; this refuses it on the way in, counting the rest of the line without keeping it. One pass
/// over the file, so a pipe or FIFO can be read too.
/// </summary>
internal sealed class CsvHeaderGuard(TextReader inner, string path, char delimiter, int maxColumns) : TextReader
{
    private bool _done, _quoted, _afterCr, _blank = true;
    private int _fields = 1, _line = 1;

    /// <inheritdoc />
    public override int Peek() => inner.Peek();

    /// <inheritdoc />
    public override int Read()
    {
        int c = inner.Read();
        if (c >= 0 && !_done && Scan(c)) throw TooWide([]);
        return c;
    }

    /// <inheritdoc />
    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    /// <inheritdoc />
    public override int Read(Span<char> buffer)
    {
        int n = inner.Read(buffer);
        for (int i = 0; i < n && !_done; i++)
            if (Scan(buffer[i])) throw TooWide(buffer[(i + 1)..n]);
        return n;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    // Counts one character of the header; true when it makes the header too wide.
    private bool Scan(int c)
    {
        bool afterCr = _afterCr;
        _afterCr = c == '\r';
        if (c == '"') _quoted = !_quoted;
        if (_quoted) { _blank = false; return false; }
        if (c is '\n' or '\r') // \n, \r\n or an old Mac's \r ends a line
        {
            if (!_blank) _done = true;
            else if (!(c == '\n' && afterCr)) _line++; // blank lines before the header are skipped, as the parser does
            return false;
        }
        if (!char.IsWhiteSpace((char)c)) _blank = false;
        return c == delimiter && ++_fields > maxColumns;
    }

    // Counts the rest of the header, from the chunk in hand and then straight from the file
    // (nothing kept), to name the real count.
    private UserError TooWide(ReadOnlySpan<char> rest)
    {
        foreach (char c in rest)
        {
            if (_done) break;
            Scan(c);
        }
        int next;
        while (!_done && (next = inner.Read()) >= 0) Scan(next);
        string what = delimiter switch { '\t' => "a tab", ',' => "a comma", ';' => "a semicolon", _ => $"'{delimiter}'" };
        return new UserError($"{path}:{_line}: the header has {_fields:N0} columns, more than the {maxColumns:N0} a table may have; " +
                             $"is the delimiter right (read as {what})?");
    }
}
