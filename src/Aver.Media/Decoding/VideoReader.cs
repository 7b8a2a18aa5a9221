using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;

namespace Aver.Media;

/// <summary>
/// A video track decoded on demand: each enumeration runs one ffmpeg process that writes raw frames
/// (<c>-f rawvideo -pix_fmt rgb24|gray pipe:1</c>) and yields them one at a time, so memory holds one
/// frame, not the clip. Stopping an enumeration early kills the process. A face detector consumes the
/// frames as <see cref="Image"/> (HWC bytes) or via <see cref="Image.ToTensor"/> ([C,H,W] floats).
/// </summary>
public sealed class VideoReader : IEnumerable<VideoFrame>
{
    public MediaInfo Info { get; }
    public VideoFrameOptions Options { get; }
    /// <summary>Frame size after scaling.</summary>
    public int Width { get; }
    public int Height { get; }
    public int Channels => (int)Options.Color;
    /// <summary>The constant output frame rate.</summary>
    public Rational FrameRate { get; }
    public string Path => Info.Path;

    private VideoReader(MediaInfo info, VideoFrameOptions options, int width, int height, Rational rate)
    {
        Info = info; Options = options; Width = width; Height = height; FrameRate = rate;
    }

    internal static VideoReader Open(string path, VideoFrameOptions o)
    {
        var info = MediaProbe.Probe(path);
        var v = info.Video ?? throw new MediaException(path, "has no video track" + (info.HasAudio ? " (it is audio only)" : ""));
        if (v.Width <= 0 || v.Height <= 0) throw new MediaException(path, $"video track reports an invalid frame size {v.Width}x{v.Height}");
        if (o.DecoderThreads is < 0 or > 64) throw new ArgumentOutOfRangeException(nameof(o), o.DecoderThreads, $"{path}: decoder threads must be in [0, 64]");
        if (o.Fps is <= 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(o), o.Fps, $"{path}: fps must be in (0, 1000]");
        var rate = o.Fps is double f ? ToRational(f) : v.FrameRate.IsValid ? v.FrameRate : new Rational(25, 1);
        var (w, h) = OutputSize(v.Width, v.Height, o);
        return new VideoReader(info, o, w, h, rate);
    }

    /// <summary>The decoded size for a source of <paramref name="srcW"/>x<paramref name="srcH"/> under the options.</summary>
    public static (int Width, int Height) OutputSize(int srcW, int srcH, VideoFrameOptions o)
    {
        double w = srcW, h = srcH;
        if (o.Width is int ow && o.Height is int oh) { w = ow; h = oh; }
        else if (o.Width is int ow2) { w = ow2; h = srcH * (double)ow2 / srcW; }
        else if (o.Height is int oh2) { h = oh2; w = srcW * (double)oh2 / srcH; }
        if (o.MaxSide is int m && Math.Max(w, h) > m)
        {
            double s = m / Math.Max(w, h);
            w *= s; h *= s;
        }
        return (Math.Max(1, (int)Math.Round(w)), Math.Max(1, (int)Math.Round(h)));
    }

    private static Rational ToRational(double fps)
    {
        // 29.97 -> 30000/1001 exactly; otherwise millifps.
        foreach (var b in (int[])[24, 30, 60])
            if (Math.Abs(fps - b * 1000.0 / 1001) < 0.005) return new Rational(b * 1000, 1001);
        return new Rational((long)Math.Round(fps * 1000), 1000);
    }

    public IEnumerator<VideoFrame> GetEnumerator()
    {
        var args = new List<string>();
        if (Options.Start > 0) args.AddRange(["-ss", Options.Start.ToString("R", CultureInfo.InvariantCulture)]);
        if (Options.SkipBFrames) args.AddRange(["-skip_frame", "bidir"]);
        if (Options.SkipLoopFilter) args.AddRange(["-skip_loop_filter", "all"]);
        args.AddRange(FfmpegArgs.Input(Path, Options.DecoderThreads));
        if (Options.Duration is double d) args.AddRange(["-t", d.ToString("R", CultureInfo.InvariantCulture)]);
        var filter = $"fps=fps={FrameRate}";
        var v = Info.Video!;
        if (Width != v.Width || Height != v.Height) filter += ScaleFilter(Width, Height, v.PixelFormat);
        args.AddRange(["-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filter,
                       "-pix_fmt", Options.Color == ImageColor.Gray ? "gray" : "rgb24", "-f", "rawvideo", "pipe:1"]);
        return Frames(args);
    }

    /// <summary>
    /// Bilinear resize. A 4:2:0 source is resized in its own format first and only then converted to RGB by
    /// the output's unscaled converter: swscale's combined scale-and-convert into packed RGB costs far more
    /// (RAVDESS 720p to 640x360 RGB: 1.56 G instructions per second of video against 1.16 G, decoding alone
    /// being 0.94 G; ffmpeg under callgrind). The converter replicates chroma over 2x2 pixels instead of
    /// interpolating it: no visible difference at the half-resolution chroma of the source.
    /// </summary>
    internal static string ScaleFilter(int width, int height, string? sourcePixelFormat) =>
        $",scale={width}:{height}:flags=bilinear" + (sourcePixelFormat is "yuv420p" or "yuvj420p" ? $",format={sourcePixelFormat}" : "");

    private IEnumerator<VideoFrame> Frames(List<string> args)
    {
        using var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, Path);
        int frameBytes = Width * Height * Channels;
        double step = 1.0 / FrameRate.Value;
        for (int index = 0; ; index++)
        {
            // A recycled buffer, else a new one (filled by the read below: skip zeroing megabytes).
            var buf = _spare.TryDequeue(out var spare) ? spare : GC.AllocateUninitializedArray<byte>(frameBytes);
            int got = p.Output.ReadAtLeast(buf, frameBytes, throwOnEndOfStream: false);
            if (got < frameBytes)
            {
                var (code, err) = p.WaitForExit();
                if (code != 0) throw FfmpegErrors.ToException(Path, err, "video");
                if (got > 0) throw new MediaException(Path, $"ffmpeg ended inside frame {index} ({got} of {frameBytes} bytes)");
                if (FfmpegErrors.ReportsTruncation(err)) throw new MediaException(Path, $"truncated: the file ends before its video does (after {index} frames)");
                if (index == 0) throw new MediaException(Path, "video track decoded to zero frames");
                yield break;
            }
            yield return new VideoFrame(index, Options.Start + index * step, new Image(Width, Height, Channels, buf));
        }
    }

    /// <summary>
    /// Hands <paramref name="frame"/>'s pixel buffer back so a later frame of this reader is read into it instead
    /// of a new one: a streaming consumer (<see cref="FaceExtraction"/>) then cycles through a few buffers instead
    /// of allocating (and page-faulting in) a fresh large-object-heap array per frame. Call it once per frame,
    /// only when nothing holds the frame's <see cref="Image"/> any more: its pixels will be overwritten.
    /// </summary>
    public void Recycle(VideoFrame frame)
    {
        var data = frame.Image.Data;
        if (data.Length == Width * Height * Channels && _spare.Count < MaxSpare) _spare.Enqueue(data);
    }

    private const int MaxSpare = 64;
    private readonly ConcurrentQueue<byte[]> _spare = new();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
