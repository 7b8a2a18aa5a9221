namespace Aver.Media;

/// <summary>
/// Decodes any file ffmpeg reads (mp4/AAC, flv/MP3, wav, mp3, flac, avi, ...) by streaming through a pipe.
/// </summary>
public static class MediaDecoder
{
    /// <summary>
    /// The first audio track as mono float32 in [-1, 1] (the mean of the channels, AVEF §2.1.1) at
    /// <paramref name="sampleRate"/> Hz, or at the file's own rate when null. A WAV file at the requested
    /// rate is read natively without a subprocess; anything that needs resampling goes through ffmpeg's
    /// resampler (swr), so WAV and compressed inputs are resampled identically.
    /// </summary>
    /// <exception cref="MediaException">Missing, empty, non-media or truncated file, or no audio track.</exception>
    public static AudioBuffer ReadAudio(string path, int? sampleRate = null)
    {
        var audio = ReadAudioSamples(path, sampleRate);
        // A float WAV can hold NaN or infinity; every feature (and answer) computed from them would be garbage.
        int bad = Array.FindIndex(audio.Samples, v => !float.IsFinite(v));
        if (bad >= 0) throw new MediaException(path, $"has non-finite audio samples (NaN or infinity), the first at {(double)bad / audio.SampleRate:F3} s");
        return audio;
    }

    private static AudioBuffer ReadAudioSamples(string path, int? sampleRate)
    {
        MediaException.ThrowIfNotReadable(path);
        if (sampleRate is <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"{path}: sample rate must be positive");
        if (Wav.IsWav(path))
        {
            try
            {
                var info = Wav.ReadInfo(path);
                if (sampleRate is null || sampleRate == info.SampleRate) return Wav.ReadMono(path);
            }
            catch (WavEncodingNotSupportedException) { }   // e.g. µ-law or ADPCM: ffmpeg decodes those
        }
        IsoBmffCheck.ThrowIfTruncated(path);

        // pcm_f32le in a WAV container over the pipe: the header carries the channel count, so the
        // mixdown below is an exact mean of all channels (ffmpeg's own -ac 1 weights 5.1 differently).
        var args = FfmpegArgs.Input(path);
        args.AddRange(["-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "pcm_f32le"]);
        if (sampleRate is int r) args.AddRange(["-ar", r.ToString()]);
        args.AddRange(["-map_metadata", "-1", "-bitexact", "-f", "wav", "pipe:1"]);

        using var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, path);
        AudioBuffer audio;
        try
        {
            audio = WavStreamReader.ReadMono(p.Output, path);
        }
        catch (MediaException)
        {
            // ffmpeg failed before writing a header: its message is the one that explains.
            var (code, err) = p.WaitForExit();
            if (code != 0) throw FfmpegErrors.ToException(path, err, "audio");
            throw;
        }
        var stderr = p.WaitForSuccess("audio");
        if (FfmpegErrors.ReportsTruncation(stderr)) throw new MediaException(path, "truncated: the file ends before its audio does");
        return audio;
    }

    /// <summary>
    /// Opens the first video track for streaming RGB (or gray) frames; probing happens now, so a missing
    /// file or a clip without video throws here, before any frame is read.
    /// </summary>
    public static VideoReader OpenVideo(string path, VideoFrameOptions? options = null) =>
        VideoReader.Open(path, options ?? new VideoFrameOptions());

    /// <summary>Shorthand for <c>OpenVideo(path, options)</c> enumerated: frames one at a time, never the whole video.</summary>
    public static IEnumerable<VideoFrame> ReadFrames(string path, VideoFrameOptions? options = null) => OpenVideo(path, options);
}
