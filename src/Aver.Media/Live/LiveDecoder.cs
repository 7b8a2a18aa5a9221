using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Aver.Media;

/// <summary>
/// Decodes a live stream as it arrives: mono audio in chunks and video frames at a constant rate, each available the
/// moment ffmpeg has it. Which streams there are is only known once the stream has started (standard input cannot be
/// probed twice), so one ffmpeg process (the reader) opens the source, reports its layout on stderr and copies its
/// audio and video packets, undecoded, into NUT; Aver tees those bytes to one decoder per stream, started once the
/// layout is known. A source that delivers nothing for <see cref="LiveDecodeOptions.StallSeconds"/> has stalled: every
/// process is stopped and <see cref="Problem"/> says so. Memory holds a pipe buffer per process, never the stream.
/// </summary>
public sealed partial class LiveDecoder : ILiveStream, IDisposable
{
    private readonly LiveSource _source;
    private readonly FfmpegProcess _reader;
    private readonly List<FfmpegProcess> _decoders = [];
    private FfmpegProcess? _audio, _video;
    private Task? _feed, _tee;
    private readonly Timer _watchdog;
    private long _waitingSince;        // Stopwatch ticks when the tee began waiting for bytes; 0 while it is not
    private volatile string? _stall;
    private volatile bool _stopped;

    private LiveDecoder(LiveSource source, LiveDecodeOptions options, FfmpegProcess reader)
    {
        _source = source;
        Options = options;
        _reader = reader;
        _watchdog = new Timer(_ => CheckStall(), null, 250, 250);
    }

    public LiveDecodeOptions Options { get; }
    /// <summary>Whether the stream has an audio stream that is decoded.</summary>
    public bool HasAudio => _audio is not null;
    /// <summary>Whether the stream has a video stream that is decoded.</summary>
    public bool HasVideo => _video is not null;
    /// <summary>The streams in a few words, e.g. "video h264 1280x720; audio aac 48000 Hz stereo".</summary>
    public string Layout { get; private set; } = "";
    public string Name => _source.Name;

    /// <summary>
    /// Starts reading <paramref name="source"/> and returns once its streams are known. Throws a
    /// <see cref="MediaException"/> naming the source when ffmpeg cannot open it, it has neither audio nor video, or no
    /// stream header arrives before the stall timeout.
    /// </summary>
    public static LiveDecoder Open(LiveSource source, LiveDecodeOptions? options = null)
    {
        var o = options ?? new LiveDecodeOptions();
        o.Validate();
        var streams = new TaskCompletionSource<List<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var found = new List<string>();
        bool inOutput = false;
        void OnLine(string line)
        {
            // ffmpeg lists the output's streams under "Output #0" and then prints "Stream mapping:".
            if (line.StartsWith("Output #0", StringComparison.Ordinal)) inOutput = true;
            else if (inOutput && StreamLine().Match(line) is { Success: true } m) found.Add(m.Groups[1].Value);
            else if (line.StartsWith("Stream mapping:", StringComparison.Ordinal)) streams.TrySetResult(found);
        }
        var args = new List<string> { "-nostdin", "-hide_banner", "-nostats", "-v", "info",
            "-probesize", "65536", "-analyzeduration", ((long)(o.ProbeSeconds * 1e6)).ToString(CultureInfo.InvariantCulture) };
        args.AddRange(source.InputArguments());
        if (o.Video) args.AddRange(["-map", "0:v:0?"]);
        if (o.Audio) args.AddRange(["-map", "0:a:0?"]);
        // Packets leave as they come: no waiting to interleave the streams, no output buffering.
        args.AddRange(["-sn", "-dn", "-c", "copy", "-max_interleave_delta", "100000", "-flush_packets", "1", "-f", "nut", "pipe:1"]);
        var reader = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, source.Name, redirectInput: source.Input is not null, onStderrLine: OnLine);
        var live = new LiveDecoder(source, o, reader);
        try
        {
            if (source.Input is not null) live._feed = Task.Run(() => live.Feed(source.Input));
            live.Start(live.AwaitLayout(streams.Task));
            return live;
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"^\s+Stream #0:\d+.*?: ((?:Video|Audio): .*)$")]
    private static partial Regex StreamLine();

    [GeneratedRegex(@"\b(\d{2,5})x(\d{2,5})\b")]
    private static partial Regex FrameSize();

    private List<string> AwaitLayout(Task<List<string>> streams)
    {
        var clock = Stopwatch.StartNew();
        double limit = Options.StallSeconds + Options.ProbeSeconds;
        while (!streams.Wait(50))
        {
            if (_reader.HasExited)
            {
                var (_, err) = _reader.WaitForExit();
                if (streams.IsCompleted) break;
                throw new MediaException(_source.Name, FfmpegErrors.Describe(err, "audio or video", isoBmff: false));
            }
            if (clock.Elapsed.TotalSeconds > limit) throw new MediaException(_source.Name, $"stalled: no stream header arrived within {limit:0.#} s");
        }
        return streams.Result;
    }

    /// <summary>Starts a decoder per stream the source has (and was asked for), then the tee that feeds them.</summary>
    private void Start(List<string> streams)
    {
        Layout = string.Join("; ", streams.Select(Describe));
        string? video = streams.Find(s => s.StartsWith("Video:", StringComparison.Ordinal));
        bool audio = streams.Exists(s => s.StartsWith("Audio:", StringComparison.Ordinal));
        if (video is null && !audio) throw new MediaException(_source.Name, "has neither an audio nor a video stream");
        // Low-delay decoding: the NUT header already describes the streams, so a tenth of a second of probing is plenty; no frame threading (each thread holds a frame back).
        string[] head = ["-nostdin", "-hide_banner", "-v", "error", "-flags", "low_delay",
                         "-probesize", "1000000", "-analyzeduration", "100000", "-threads", "1"];
        if (video is not null)
        {
            var args = new List<string>(head);
            if (Options.SkipBFrames) args.AddRange(["-skip_frame", "bidir"]);
            args.AddRange(["-f", "nut", "-i", "pipe:0", "-map", "0:v:0", "-vf", VideoFilter(video),
                           "-c:v", "pam", "-pix_fmt", "rgb24", "-f", "image2pipe", "pipe:1"]);
            _decoders.Add(_video = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, _source.Name, redirectInput: true));
        }
        if (audio)
        {
            var args = new List<string>(head);
            // async: samples follow the timestamps (a gap in the stream becomes silence, an overlap is dropped), so sample
            // n is at n / rate s on the same clock as the video frames, however the source's packets were cut.
            args.AddRange(["-f", "nut", "-i", "pipe:0", "-map", "0:a:0", "-af", "aresample=async=1:first_pts=0",
                           "-ac", "1", "-ar", Options.SampleRate.ToString(CultureInfo.InvariantCulture),
                           "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"]);
            _decoders.Add(_audio = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, _source.Name, redirectInput: true));
        }
        _tee = Task.Run(Tee);
    }

    /// <summary>"Video: h264 (High) (H264 / 0x...), yuv420p(tv), 1280x720 [SAR 1:1], ..." as "video h264 1280x720"; audio as "audio aac 48000 Hz stereo".</summary>
    private static string Describe(string stream)
    {
        var parts = stream.Split(',', StringSplitOptions.TrimEntries);
        var head = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);   // "Video:", "h264", "(High)", ...
        string kind = head[0].TrimEnd(':').ToLowerInvariant(), codec = head.Length > 1 ? head[1] : "?";
        if (kind == "video") return FrameSize().Match(stream) is { Success: true } m ? $"video {codec} {m.Value}" : $"video {codec}";
        return parts.Length > 2 ? $"audio {codec} {parts[1]} {parts[2]}" : $"audio {codec}";
    }

    /// <summary>The fps filter, and a scale to <see cref="LiveDecodeOptions.MaxSide"/> as batch decoding does (<see cref="VideoReader"/>).</summary>
    private string VideoFilter(string videoStream)
    {
        var filter = "fps=fps=" + Options.Fps.ToString("R", CultureInfo.InvariantCulture);
        var m = FrameSize().Match(videoStream);
        if (!m.Success) return filter + $",scale='min({Options.MaxSide},iw)':-2:flags=bilinear";
        int w = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), h = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        var (ow, oh) = VideoReader.OutputSize(w, h, new VideoFrameOptions { MaxSide = Options.MaxSide });
        string? pixelFormat = videoStream.Contains("yuvj420p", StringComparison.Ordinal) ? "yuvj420p" : videoStream.Contains("yuv420p", StringComparison.Ordinal) ? "yuv420p" : null;
        return ow == w && oh == h ? filter : filter + VideoReader.ScaleFilter(ow, oh, pixelFormat);
    }

    /// <summary>Standard input's bytes into the reader, as they arrive.</summary>
    private void Feed(Stream input)
    {
        var buffer = new byte[1 << 16];
        try
        {
            int n;
            while (!_stopped && (n = input.Read(buffer)) > 0)
            {
                _reader.Input.Write(buffer, 0, n);
                _reader.Input.Flush();
            }
        }
        catch (IOException) { }            // the reader ended (stopped, or it rejected the stream: its stderr explains)
        catch (ObjectDisposedException) { }
        finally
        {
            try { _reader.Input.Dispose(); } catch (IOException) { }
        }
    }

    /// <summary>The reader's NUT bytes to every decoder; a decoder that has ended is dropped, the others still fed.</summary>
    private void Tee()
    {
        var buffer = new byte[1 << 16];
        var open = new List<FfmpegProcess>(_decoders);
        try
        {
            while (open.Count > 0)
            {
                Interlocked.Exchange(ref _waitingSince, Stopwatch.GetTimestamp());
                int n = _reader.Output.Read(buffer);
                Interlocked.Exchange(ref _waitingSince, 0);
                if (n <= 0) break;
                for (int i = open.Count - 1; i >= 0; i--)
                {
                    try { open[i].Input.Write(buffer, 0, n); open[i].Input.Flush(); }
                    catch (Exception e) when (e is IOException or ObjectDisposedException) { open.RemoveAt(i); }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        finally
        {
            Interlocked.Exchange(ref _waitingSince, 0);
            foreach (var d in _decoders)
                try { d.Input.Dispose(); } catch (IOException) { }
        }
    }

    private void CheckStall()
    {
        long since = Interlocked.Read(ref _waitingSince);
        if (since == 0 || _stopped || _stall is not null) return;
        if (Stopwatch.GetElapsedTime(since).TotalSeconds < Options.StallSeconds) return;
        _stall = $"stalled: no data for {Options.StallSeconds:0.#} s";
        Kill();
    }

    /// <summary>
    /// The audio as mono float chunks at <see cref="LiveDecodeOptions.SampleRate"/>, each as soon as ffmpeg has it
    /// (a few milliseconds to 0.1 s of sound). Empty when the stream has no audio. Ends with the stream.
    /// </summary>
    public IEnumerable<float[]> AudioChunks()
    {
        if (_audio is null) yield break;
        var bytes = new byte[6400];   // up to 0.1 s at 16 kHz
        int carry = 0;
        while (true)
        {
            int n;
            try { n = _audio.Output.Read(bytes, carry, bytes.Length - carry); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { yield break; }
            if (n <= 0) yield break;
            int have = carry + n, whole = have / sizeof(float) * sizeof(float);
            if (whole > 0) yield return MemoryMarshal.Cast<byte, float>(bytes.AsSpan(0, whole)).ToArray();
            carry = have - whole;
            bytes.AsSpan(whole, carry).CopyTo(bytes);
        }
    }

    /// <summary>The video frames at <see cref="LiveDecodeOptions.Fps"/>, frame i at i / Fps s, each as soon as ffmpeg has it. Empty without video.</summary>
    public IEnumerable<VideoFrame> Frames()
    {
        if (_video is null) yield break;
        double step = 1 / Options.Fps;
        for (int i = 0; ; i++)
        {
            Image? image;
            try { image = PamReader.ReadNext(_video.Output, _source.Name); }
            catch (Exception e) when (e is MediaException or IOException or ObjectDisposedException) { yield break; }   // cut off mid-picture: Problem says why
            if (image is null) yield break;
            yield return new VideoFrame(i, i * step, image);
        }
    }

    /// <summary>
    /// Once the chunks and frames have ended: why the stream ended other than at its end — a stall, or ffmpeg's
    /// one-sentence reason when it failed — or null for a clean end (or a <see cref="Stop"/>).
    /// </summary>
    public string? Problem()
    {
        if (_stall is not null) return _stall;
        if (_stopped) return null;
        var (code, err) = _reader.WaitForExit();
        if (code != 0) return FfmpegErrors.Describe(err, isoBmff: false);
        foreach (var d in _decoders)
        {
            var (dc, derr) = d.WaitForExit();
            if (dc != 0) return FfmpegErrors.Describe(derr, isoBmff: false);
        }
        // ffmpeg logs (and still exits 0 for) a stream cut off mid-packet: "[matroska,webm @ 0x..] File ended prematurely".
        foreach (var line in err.Split('\n'))
            if (line.StartsWith('[') && (line.Contains("prematurely", StringComparison.Ordinal) || line.Contains("Truncat", StringComparison.OrdinalIgnoreCase)))
                return "the stream ended abruptly: " + line[(line.IndexOf(']') + 1)..].Trim();
        return null;
    }

    /// <summary>Stops decoding (Ctrl-C): the chunks and frames end soon after, and <see cref="Problem"/> is null.</summary>
    public void Stop()
    {
        _stopped = true;
        Kill();
    }

    private void Kill()
    {
        _reader.Dispose();
        foreach (var d in _decoders) d.Dispose();
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        _stopped = true;
        Kill();
        try { _feed?.Wait(1000); _tee?.Wait(1000); } catch (AggregateException) { }
    }
}
