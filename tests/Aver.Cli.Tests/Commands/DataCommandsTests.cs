using System.Text.Json;
using Aver.Cli;

namespace Aver.Cli.Tests.Commands;

/// <summary>`aver datasets` and `aver splits`, run in-process.</summary>
public class DataCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aver-cli-data-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    /// <summary>A RAVDESS-named folder of 6 actors (neutral and calm, 2 takes each), one bad name and one empty file.</summary>
    private string MakeRavdess()
    {
        var dir = Path.Combine(_root, "ravdess");
        for (int a = 1; a <= 6; a++)
            foreach (var e in new[] { 1, 2 })
                for (int r = 1; r <= 2; r++)
                    Write(Path.Combine(dir, $"Actor_{a:00}", $"03-01-{e:00}-01-01-{r:00}-{a:00}.wav"));
        Write(Path.Combine(dir, "Actor_01", "03-01-03-01-01-01-01.wav"), empty: true);
        Write(Path.Combine(dir, "Actor_01", "take1.wav"));
        return dir;
    }

    private static void Write(string path, bool empty = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, empty ? [] : [1, 2, 3]);
    }

    [Fact]
    public void AFifoInACorpusIsSkippedAsWhatItIsNotAsAnEmptyFile()
    {
        var dir = MakeRavdess();
        var fifo = Path.Combine(dir, "Actor_02", "03-01-03-01-01-01-02.wav");
        TestMkfifo.Make(fifo);
        var (code, stdout, _) = Run("datasets", dir);
        Assert.Equal(0, code);
        Assert.Contains($"{fifo}: a named pipe (FIFO), not a regular file", stdout);
    }

    [Fact]
    public void SymbolicLinksAreFollowedOnceAndLoopsAreNotEntered()
    {
        var dir = MakeRavdess();
        Directory.CreateSymbolicLink(Path.Combine(dir, "Actor_01", "loop"), "..");        // back to the corpus root
        Directory.CreateSymbolicLink(Path.Combine(dir, "up"), "..");                      // above the root
        Directory.CreateSymbolicLink(Path.Combine(dir, "Actor_07"), Path.Combine(dir, "Actor_02"));   // a second path to a folder
        File.CreateSymbolicLink(Path.Combine(dir, "Actor_01", "03-01-02-01-01-01-08.wav"), Path.Combine(dir, "Actor_01", "03-01-01-01-01-01-01.wav"));
        var (code, stdout, stderr) = Run("datasets", dir, "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(24, doc.RootElement.GetProperty("items").GetInt32());   // as without the links
        var reasons = doc.RootElement.GetProperty("skipped").EnumerateArray().Select(k => k.GetProperty("reason").GetString()!).ToList();
        Assert.Single(reasons, r => r.StartsWith("same file as Actor_01/03-01-01-01-01-01-01.wav", StringComparison.Ordinal));
    }

    [Fact]
    public void DatasetsJsonCountsLabelsSpeakersAndSkippedFiles()
    {
        var (code, stdout, stderr) = Run("datasets", MakeRavdess(), "--json");
        Assert.True(code == 0, stderr);
        var j = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("ravdess", j.GetProperty("dataset").GetString());
        Assert.Equal(24, j.GetProperty("items").GetInt32());
        Assert.Equal(6, j.GetProperty("speakers").GetInt32());
        Assert.Equal(12, j.GetProperty("labels").GetProperty("calm").GetInt32());
        Assert.Equal(0, j.GetProperty("labels").GetProperty("surprised").GetInt32());
        Assert.Equal(24, j.GetProperty("modalities").GetProperty("audio").GetInt32());
        var skipped = j.GetProperty("skipped").EnumerateArray().Select(s => (Path.GetFileName(s.GetProperty("path").GetString()), s.GetProperty("reason").GetString())).ToArray();
        Assert.Equal(2, skipped.Length);
        Assert.Contains(("03-01-03-01-01-01-01.wav", "empty file"), skipped);
        Assert.Contains(skipped, s => s.Item1 == "take1.wav" && s.Item2!.Contains("does not match"));
    }

    [Fact]
    public void DatasetsTextListsCountsAndSkippedFilesAndRelabels()
    {
        var (code, stdout, _) = Run("datasets", MakeRavdess(), "--labels", "fer7");
        Assert.Equal(0, code);
        Assert.Contains("items       12 ", stdout);               // the calm items have no FER counterpart
        Assert.Contains("labels      angry 0, disgust 0, fear 0, happy 0, sad 0, surprise 0, neutral 12", stdout);
        Assert.Contains("skipped     14", stdout);
        Assert.Contains("has no counterpart in fer7", stdout);
        Assert.Contains("speakers    6: 01 2, 02 2", stdout);
    }

    [Fact]
    public void OnlyKeepsItemsWhoseFieldMatches()
    {
        var dir = MakeRavdess();
        var j = JsonDocument.Parse(Run("datasets", dir, "--only", "speaker=01", "--only", "label=calm", "--json").Out).RootElement;
        Assert.Equal(2, j.GetProperty("items").GetInt32());
        Assert.Equal(0, JsonDocument.Parse(Run("datasets", dir, "--only", "vocal_channel=song", "--json").Out).RootElement.GetProperty("items").GetInt32());
        Assert.Equal(2, Run("datasets", dir, "--only", "speaker").Code);
    }

    [Fact]
    public void SplitsWritesIdenticalManifestsForTheSameSeed()
    {
        var dir = MakeRavdess();
        var a = Path.Combine(_root, "out-a");
        var b = Path.Combine(_root, "out-b");
        var (code, stdout, stderr) = Run("splits", dir, "--protocol", "ravdess-pairs", "--out", a, "--seed", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("A5,6", stdout);
        Assert.Equal(0, Run("splits", dir, "--protocol", "ravdess-pairs", "--out", b, "--seed", "4").Code);
        var files = Directory.GetFiles(a).Select(p => Path.GetFileName(p)).Order().ToArray();
        Assert.Equal(["fold-01.csv", "fold-02.csv", "fold-03.csv", "summary.json"], files);
        foreach (var f in files) Assert.Equal(File.ReadAllBytes(Path.Combine(a, f!)), File.ReadAllBytes(Path.Combine(b, f!)));
        var lines = File.ReadAllLines(Path.Combine(a, "fold-01.csv"));
        Assert.Equal("path,label,speaker,sex,recording,split,fold", lines[0]);
        Assert.Equal(24, lines.Length - 1);
        Assert.All(lines.Skip(1).Where(l => l.Contains(",test,")), l => Assert.Matches(@",0[12],(male|female),.*,test,""A1,2""$", l));
        Assert.All(lines.Skip(1).Where(l => l.Contains(",validation,")), l => Assert.Matches(@",0[34],(male|female),", l));
        Assert.Equal(8, lines.Count(l => l.Contains(",train,")));
    }

    [Fact]
    public void SplitsNeverMixOldFoldsWithNew()
    {
        var dir = MakeRavdess();
        var o = Path.Combine(_root, "splits");
        Assert.Equal(0, Run("splits", dir, "--protocol", "loso", "--out", o).Code);   // 6 folds
        Assert.Equal(7, Directory.GetFiles(o).Length);
        var (code, _, err) = Run("splits", dir, "--protocol", "ravdess-pairs", "--out", o);
        Assert.Equal(1, code);
        Assert.Contains("already holds files", err);
        Assert.Equal(0, Run("splits", dir, "--protocol", "ravdess-pairs", "--out", o, "--force").Code);
        Assert.Equal(["fold-01.csv", "fold-02.csv", "fold-03.csv", "summary.json"], Directory.GetFiles(o).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void SplitsJsonAndRandomProtocolIsMarkedSpeakerDependent()
    {
        var (code, stdout, stderr) = Run("splits", MakeRavdess(), "--protocol", "random", "--out", Path.Combine(_root, "r"), "--json");
        Assert.True(code == 0, stderr);
        var j = JsonDocument.Parse(stdout).RootElement;
        Assert.True(j.GetProperty("speakerDependent").GetBoolean());
        Assert.Equal(2, j.GetProperty("skipped").GetArrayLength());
    }

    [Fact]
    public void UsageAndDataErrorsGiveTheirExitCodes()
    {
        var dir = MakeRavdess();
        Assert.Equal(2, Run("splits", dir, "--out", Path.Combine(_root, "x")).Code);                        // no --protocol
        Assert.Equal(2, Run("splits", dir, "--protocol", "nope", "--out", Path.Combine(_root, "x")).Code);  // unknown protocol
        Assert.Equal(2, Run("datasets").Code);
        Assert.Equal(2, Run("datasets", dir, "--labels", "klingon").Code);
        Assert.Equal(2, Run("datasets", dir, "--bogus", "1").Code);
        var (code, _, err) = Run("datasets", Path.Combine(_root, "missing"));
        Assert.Equal(1, code);
        Assert.Contains("does not exist", err);
        var (c2, _, e2) = Run("splits", dir, "--protocol", "losgo", "--groups", "9", "--out", Path.Combine(_root, "y"));
        Assert.Equal(1, c2);
        Assert.Contains("9 groups but", e2);
        Assert.Equal(0, Run("datasets", "--help").Code);
        var help = Run("splits", "--help").Out;
        foreach (var name in new[] { "ravdess-pairs", "crema-d", "loso", "losgo", "speaker-kfold", "random", "predefined" })
            Assert.Contains($"  {name} ", help);
    }

    [FactRequires(Need.SharedData)]
    public void DatasetsOnTheSharedRavdess()
    {
        var (code, stdout, stderr) = Run("datasets", TestPaths.Data("ravdess"), "--json");
        Assert.True(code == 0, stderr);
        var j = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(966, j.GetProperty("items").GetInt32());
        Assert.Equal(16, j.GetProperty("speakers").GetInt32());
        Assert.Equal(6, j.GetProperty("modalities").GetProperty("audio-video").GetInt32());
        Assert.Equal(6, j.GetProperty("pairedWithVideo").GetInt32());
        Assert.Equal(0, j.GetProperty("skipped").GetArrayLength());
    }
}
