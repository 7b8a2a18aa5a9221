using System.Diagnostics;
using System.Text.Json;
using Aver.Inference.Branches;

namespace Aver.Cli.Tests.Commands;

/// <summary>`aver live -` on streams made by ffmpeg: window lines then the summary; a stream cut off, a stream that stalls.</summary>
public sealed class LiveCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-live-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A 4-s Matroska stream: a moving test picture (no face) and bursts of a tone (speech-like loudness changes).</summary>
    private byte[] Stream()
    {
        var path = Path.Combine(_dir, "stream.mkv");
        TestFfmpeg.Run("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
            "-i", "aevalsrc='0.3*sin(2*PI*220*t)*gt(mod(t\\,0.75)\\,0.25)+0.001*sin(2*PI*50*t)':s=48000",
            "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "matroska", path);
        return File.ReadAllBytes(path);
    }

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [FactRequires(Need.BlazeFace)]
    public void A_stream_on_standard_input_is_answered_window_by_window_then_summarised()
    {
        var (code, output, err) = CliRun.Run(new MemoryStream(Stream()), default, "live", "-", "--json");
        Assert.True(code == 0, err);
        var lines = Lines(output);
        var windows = lines.Take(lines.Count - 1).ToList();
        var summary = lines[^1];
        double seconds = summary.GetProperty("summary").GetProperty("seconds").GetDouble();
        Assert.InRange(seconds, 4, 4.1);   // AAC ends on a whole frame of 1024 samples
        var expected = TimeWindows.Of(seconds, 1, 0.5);
        Assert.Equal(expected.Select(w => Math.Round(w.Start, 3)), windows.Select(w => w.GetProperty("start").GetDouble()));
        Assert.All(windows, w =>
        {
            Assert.False(string.IsNullOrEmpty(w.GetProperty("label").GetString()));
            Assert.Equal(JsonValueKind.Null, w.GetProperty("branches").GetProperty("visual").ValueKind);   // no face in a test picture
            Assert.Equal(JsonValueKind.Number, w.GetProperty("latency").ValueKind);
        });
        Assert.Equal(expected.Length, summary.GetProperty("windows").GetInt32());
        Assert.Contains("video h264 640x360", summary.GetProperty("streams").GetString());
        Assert.Contains("audio aac 48000 Hz", summary.GetProperty("streams").GetString());
        var branches = summary.GetProperty("summary").GetProperty("branches").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!, b => b.GetProperty("status").GetString());
        Assert.Equal("used", branches["audio"]);
        Assert.Equal("noface", branches["visual"]);
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("problem").ValueKind);
    }

    [FactRequires(Need.BlazeFace)]
    public void A_stream_cut_off_mid_way_ends_with_the_reason_and_the_summary_so_far()
    {
        var bytes = Stream();
        var (code, output, err) = CliRun.Run(new MemoryStream(bytes[..(bytes.Length / 2)]), default, "live", "-", "--json");
        Assert.Equal(1, code);
        Assert.Contains("aver live: -: the stream ended abruptly", err);
        var lines = Lines(output);
        var summary = lines[^1];
        Assert.True(lines.Count >= 3, output);   // windows of the part that arrived
        Assert.InRange(summary.GetProperty("summary").GetProperty("seconds").GetDouble(), 0.5, 3.5);
        Assert.StartsWith("the stream ended abruptly", summary.GetProperty("problem").GetString());
    }

    /// <summary>Half a stream, then nothing (the sender alive but silent) for up to a minute.</summary>
    private sealed class StallingStream(byte[] head) : Stream
    {
        private int _at;
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_at >= head.Length) { Thread.Sleep(60_000); return 0; }
            int n = Math.Min(count, head.Length - _at);
            Array.Copy(head, _at, buffer, offset, n);
            _at += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _at; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [FactRequires(Need.BlazeFace)]
    public void A_stream_that_stalls_ends_after_the_timeout_with_the_summary_so_far()
    {
        var bytes = Stream();
        var clock = Stopwatch.StartNew();
        var (code, output, err) = CliRun.Run(new StallingStream(bytes[..(bytes.Length / 2)]), default, "live", "-", "--json", "--stall", "1");
        Assert.Equal(1, code);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 30);
        Assert.Contains("stalled: no data for 1 s", err);
        var summary = Lines(output)[^1];
        Assert.Equal("stalled: no data for 1 s", summary.GetProperty("problem").GetString());
        Assert.True(summary.GetProperty("windows").GetInt32() >= 1);
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void A_real_clip_streamed_gets_the_answers_of_the_same_file()
    {
        var clip = TestPaths.Data("ravdess", "av", "01-01-06-01-01-01-05.mp4");
        var mkv = Path.Combine(_dir, "clip.mkv");
        TestFfmpeg.Run("-i", clip, "-c", "copy", "-f", "matroska", mkv);
        var (code, output, err) = CliRun.Run(File.OpenRead(mkv), default, "live", "-", "--json");
        Assert.True(code == 0, err);
        var live = Lines(output);
        var file = JsonDocument.Parse(CliRun.Run("predict", clip, "--json").Out).RootElement.GetProperty("clips")[0];
        Assert.Equal(file.GetProperty("label").GetString(), live[^1].GetProperty("summary").GetProperty("label").GetString());
        var timeline = file.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(timeline.Count, live.Count - 1);
        // The stream standardises its audio with what it has heard so far and tracks the face with less look-ahead, so
        // its probabilities stay near the file's but may swap two close classes: each class within 0.15, and the same
        // label wherever the file's answer leads its runner-up by 0.15 or more.
        for (int w = 0; w < timeline.Count; w++)
        {
            Assert.Equal(timeline[w].GetProperty("start").GetDouble(), live[w].GetProperty("start").GetDouble(), 0.1);
            var p = timeline[w].GetProperty("probabilities").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetDouble());
            var q = live[w].GetProperty("probabilities");
            foreach (var (name, value) in p)
                Assert.True(Math.Abs(value - q.GetProperty(name).GetDouble()) <= 0.15, $"window {w}: {name} {q.GetProperty(name)} live, {value} in the file");
            var ranked = p.Values.OrderDescending().ToArray();
            if (ranked[0] - ranked[1] >= 0.15)
                Assert.Equal(timeline[w].GetProperty("label").GetString(), live[w].GetProperty("label").GetString());
        }
    }

    [Fact]
    public void Bad_sources_and_options_are_clear_errors()
    {
        var (code, _, err) = CliRun.Run("live", Path.Combine(_dir, "missing.mp4"));
        Assert.Equal(1, code);
        Assert.Contains("missing.mp4: file not found", err);
        Assert.Equal(2, CliRun.Run("live").Code);
        Assert.Equal(2, CliRun.Run("live", "-", "--realtime").Code);
        Assert.Equal(2, CliRun.Run("live", "-", "--stall", "0").Code);
        var (garbage, _, garbageErr) = CliRun.Run(new MemoryStream("not a stream at all"u8.ToArray()), default, "live", "-");
        Assert.Equal(1, garbage);
        Assert.Contains("-: not a media file ffmpeg can read", garbageErr);
    }
}
