using System.Text;

namespace Aver.Data.Io;

/// <summary>A CSV table: header names and rows (each with its 1-based line number), RFC 4180 quoting.</summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, string[] header, List<(int Line, string[] Cells)> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        _columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Length; i++) _columns.TryAdd(header[i].Trim(), i);
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<(int Line, string[] Cells)> Rows { get; }

    /// <summary>Index of a column (case-insensitive), or -1.</summary>
    public int Column(string name) => _columns.TryGetValue(name, out int i) ? i : -1;

    /// <summary>Index of a column; throws <see cref="DatasetException"/> naming the file when absent.</summary>
    public int RequireColumn(string name) => Column(name) is int i and >= 0
        ? i
        : throw new DatasetException($"{Path}: no column '{name}' (columns: {string.Join(", ", Header)})");

    /// <summary>Reads <paramref name="path"/>; the first line is the header; blank lines are ignored.</summary>
    public static CsvTable Read(string path)
    {
        string[]? header = null;
        var rows = new List<(int, string[])>();
        foreach (var (line, cells) in Csv.ReadLines(path))
        {
            if (header is null) header = cells;
            else rows.Add((line, cells));
        }
        return new CsvTable(path, header ?? throw new DatasetException($"{path}: empty CSV file (no header)"), rows);
    }

    /// <summary>A table from a header and rows already split (for tables streamed row by row).</summary>
    public static CsvTable Of(string path, string[] header) => new(path, header, []);
}

/// <summary>CSV cells: splitting a line and quoting a value (RFC 4180).</summary>
public static class Csv
{
    /// <summary>The cells of one line; quoted cells may hold commas and doubled quotes.</summary>
    public static string[] Split(string line)
    {
        var cells = new List<string>();
        var sb = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        cells.Add(sb.ToString());
        return cells.ToArray();
    }

    /// <summary><paramref name="value"/> quoted when it holds a comma, quote or line break.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The non-blank records of <paramref name="path"/> split into cells, each with the 1-based line it starts on,
    /// read lazily (fer2013.csv is ~300 MB). A quoted cell may hold line breaks (as <see cref="Quote"/> writes them):
    /// its record runs on until the quote closes. Read errors and a quote left open at the end of the file become
    /// <see cref="DatasetException"/>.
    /// </summary>
    public static IEnumerable<(int Line, string[] Cells)> ReadLines(string path)
    {
        StreamReader reader;
        if (Aver.Tensors.IO.UnixFile.NotRegular(path) is { } why) throw new DatasetException($"{path}: {why}");
        try { reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DatasetException($"{path}: cannot read CSV: {e.Message}", e); }
        using (reader)
        {
            int lineNo = 0;
            string? Next()
            {
                try { var l = reader.ReadLine(); if (l is not null) lineNo++; return l; }
                catch (IOException e) { throw new DatasetException($"{path}: cannot read CSV at line {lineNo + 1}: {e.Message}", e); }
            }
            while (Next() is { } line)
            {
                if (line.Length == 0) continue;
                int start = lineNo;
                if (OpensQuote(line)) line = JoinQuoted(line, Next, path, start);
                yield return (start, Split(line));
            }
        }
    }

    /// <summary>Whether a quote is still open at the end of <paramref name="text"/>: every quote toggles the state (a doubled one twice).</summary>
    private static bool OpensQuote(ReadOnlySpan<char> text) => (text.Count('"') & 1) == 1;

    /// <summary>Joins the lines after <paramref name="first"/> until the quote it opened closes.</summary>
    private static string JoinQuoted(string first, Func<string?> next, string path, int start)
    {
        var record = new StringBuilder(first);
        bool open = true;
        while (open)
        {
            var more = next() ?? throw new DatasetException($"{path}: line {start}: a quoted cell is not closed before the end of the file");
            record.Append('\n').Append(more);
            open ^= OpensQuote(more);
        }
        return record.ToString();
    }

    /// <summary>One CSV line (no line break) from <paramref name="cells"/>.</summary>
    public static string Line(IEnumerable<string> cells) => string.Join(',', cells.Select(Quote));
}
