using Aver.Data.Catalogs;
using Aver.Data.Io;

namespace Aver.Data.Tests.Io;

public sealed class CsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-csv-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "t.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void WhatQuoteWritesIsReadBackIncludingLineBreaksInACell()
    {
        string[] cells = ["plain", "two\nlines", "a \"quoted\" word, and a comma", "crlf\r\nend", ""];
        var path = Write("h1,h2,h3,h4,h5\n" + Csv.Line(cells) + "\nnext,row,,,\n");
        var rows = Csv.ReadLines(path).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["plain", "two\nlines", "a \"quoted\" word, and a comma", "crlf\nend", ""], rows[1].Cells);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal((5, "next"), (rows[2].Line, rows[2].Cells[0]));   // line numbers count the lines inside the cell
    }

    [Fact]
    public void AQuoteLeftOpenIsAnErrorNamingTheLineItStarts()
    {
        var path = Write("a,b\n1,\"open\n2,3\n");
        var e = Assert.Throws<DatasetException>(() => Csv.ReadLines(path).ToList());
        Assert.Equal($"{path}: line 2: a quoted cell is not closed before the end of the file", e.Message);
    }
}
