namespace Aver.Media;

/// <summary>
/// Lossy codecs applied to audio in memory: a clip encoded as a user's file would be (mp3 through ffmpeg's LAME) and
/// decoded back, so training can see what compression does to speech (issue 15: the same speech as mp3 and as wav got
/// different answers).
/// </summary>
public static class AudioCodec
{
    /// <summary>
    /// <paramref name="audio"/> encoded as mp3 at <paramref name="kbps"/> kbit/s and decoded back at its own rate, as
    /// long as the input (the decoder drops the encoder's delay; a shorter result is padded with zeros).
    /// </summary>
    /// <exception cref="MediaException">ffmpeg failed to encode or decode.</exception>
    public static AudioBuffer Mp3RoundTrip(AudioBuffer audio, int kbps)
    {
        if (kbps is < 8 or > 320) throw new ArgumentOutOfRangeException(nameof(kbps), kbps, "an mp3 bitrate is 8-320 kbit/s");
        string stem = Path.Combine(Path.GetTempPath(), $"aver-codec-{Guid.NewGuid():N}");
        string wav = stem + ".wav", mp3 = stem + ".mp3";
        try
        {
            Wav.Write(wav, audio, WavSampleFormat.Float32);
            var args = FfmpegArgs.Input(wav);
            args.AddRange(["-c:a", "libmp3lame", "-b:a", $"{kbps}k", "-map_metadata", "-1", "-f", "mp3", "-y", mp3]);
            using (var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, wav)) p.WaitForSuccess("audio");
            var decoded = MediaDecoder.ReadAudio(mp3, audio.SampleRate).Samples;
            var samples = new float[audio.Samples.Length];
            decoded.AsSpan(0, Math.Min(decoded.Length, samples.Length)).CopyTo(samples);
            return new AudioBuffer(samples, audio.SampleRate);
        }
        finally
        {
            File.Delete(wav);
            File.Delete(mp3);
        }
    }
}
