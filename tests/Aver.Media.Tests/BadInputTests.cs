namespace Aver.Media.Tests;

/// <summary>Each bad input gets a typed <see cref="MediaException"/> naming the file and the problem.</summary>
public class BadInputTests
{
    private static void AssertFails(Action read, string file, string problem)
    {
        var e = Assert.Throws<MediaException>(read);
        Assert.Equal(file, e.FilePath);
        Assert.Contains(file, e.Message);
        Assert.Contains(problem, e.Message);
    }

    /// <summary>Every entry point refuses <paramref name="file"/> with a message containing <paramref name="problem"/>.</summary>
    private static void AllRefuse(string file, string problem)
    {
        AssertFails(() => MediaProbe.Probe(file), file, problem);
        AssertFails(() => MediaDecoder.ReadAudio(file, 16000), file, problem);
        AssertFails(() => _ = MediaDecoder.OpenVideo(file).First(), file, problem);
    }

    [Fact]
    public void MissingFile()
    {
        using var dir = new TempDir();
        AllRefuse(dir.File("nowhere.mp4"), "file not found");
        AssertFails(() => ImageDecoder.Load(dir.File("nowhere.jpg")), dir.File("nowhere.jpg"), "file not found");
    }

    [Fact]
    public void ZeroBytes()
    {
        using var dir = new TempDir();
        var f = dir.File("empty.mp4");
        File.WriteAllBytes(f, []);
        AllRefuse(f, "empty (zero bytes)");
    }

    [Fact]
    public void ADeviceOrAFifoIsNotAnEmptyFile()
    {
        AllRefuse("/dev/zero", "is a character device, not a regular file");
        using var dir = new TempDir();
        var fifo = dir.File("pipe.wav");
        TestMkfifo.Make(fifo);
        AllRefuse(fifo, "is a named pipe (FIFO), not a regular file");
        AssertFails(() => Wav.ReadMono(fifo), fifo, "named pipe");
    }

    [Fact]
    public void TextFileNamedMp4()
    {
        using var dir = new TempDir();
        var f = dir.File("notes.mp4");
        File.WriteAllText(f, "These are meeting notes, not a video.\nSecond line.\n");
        AllRefuse(f, "not a media file");
        AssertFails(() => ImageDecoder.Load(f), f, "not a media file");
    }

    [Fact]
    public void TruncatedMp4WithIndexAtTheEnd()
    {
        using var dir = new TempDir();
        var whole = BadInputs.AudioVideo(dir, "whole.mp4", faststart: false);
        var cut = BadInputs.Cut(dir, whole, 0.6, "cut.mp4");
        AllRefuse(cut, "truncated");
    }

    [Fact]
    public void TruncatedMp4WithIndexFirst()
    {
        using var dir = new TempDir();
        var whole = BadInputs.AudioVideo(dir, "whole.mp4", faststart: true);
        Assert.Equal(2, MediaProbe.Probe(whole).Streams.Count);
        var cut = BadInputs.Cut(dir, whole, 0.6, "cut.mp4");
        AllRefuse(cut, "truncated");
    }

    [FactRequires(Need.SharedData)]
    public void TruncatedRavdessClip()
    {
        using var dir = new TempDir();
        var cut = BadInputs.Cut(dir, SharedClips.RavdessAv[0], 0.5, "ravdess-half.mp4");
        AllRefuse(cut, "truncated");
    }

    [Fact]
    public void VideoWithoutAudio()
    {
        using var dir = new TempDir();
        var f = BadInputs.VideoOnly(dir);
        AssertFails(() => MediaDecoder.ReadAudio(f, 16000), f, "has no audio track");
        Assert.Equal(10, MediaDecoder.ReadFrames(f).Count());
    }

    [Fact]
    public void AudioWithoutVideo()
    {
        using var dir = new TempDir();
        var f = BadInputs.AudioOnly(dir);
        AssertFails(() => MediaDecoder.OpenVideo(f), f, "has no video track");
        var audio = MediaDecoder.ReadAudio(f, 16000);
        Assert.InRange(audio.Duration, 0.95, 1.1);
    }
}
