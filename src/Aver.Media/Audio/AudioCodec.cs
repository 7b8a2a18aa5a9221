namespace Aver.Media;

/// <summary>
/// Lossy codecs applied to audio in memory: a clip encoded as a user's file would be (mp3 through ffmpeg's LAME) and
/// decoded back, so training can see what compression does to speech (issue 15: the same speech as mp3 and as wav got
/// different answers).
/// </summary>
public static class AudioCodec
{
    /// <summary>The bitrates (kbit/s) LAME encodes: MPEG-2 layer III's lowest to MPEG-1's highest.</summary>
    public const int MinKbps = 8, MaxKbps = 320;

    /// <summary>
    /// <paramref name="audio"/> encoded as mp3 at <paramref name="kbps"/> kbit/s and decoded back at its own rate, as
    /// long as the input (the decoder drops the encoder's delay; a shorter result is padded with zeros).
    /// </summary>
    /// <exception cref="MediaException">ffmpeg failed to encode or decode.</exception>
    public static AudioBuffer Mp3RoundTrip(AudioBuffer audio, int kbps) => Mp3RoundTrips(audio, [kbps])[0];

    /// <summary>
    /// <see cref="Mp3RoundTrip"/> at each of <paramref name="kbps"/>, in that order, with one encoding and one decoding
    /// process for all of them (a process start costs more than a clip's encoding).
    /// </summary>
    public static AudioBuffer[] Mp3RoundTrips(AudioBuffer audio, IReadOnlyList<int> kbps)
    {
        foreach (int k in kbps)
            if (k is < MinKbps or > MaxKbps) throw new ArgumentOutOfRangeException(nameof(kbps), k, $"an mp3 bitrate is {MinKbps}-{MaxKbps} kbit/s");
        if (kbps.Count == 0) return [];
        string stem = Path.Combine(Path.GetTempPath(), $"aver-codec-{Guid.NewGuid():N}");
        string wav = stem + ".wav";
        var mp3 = kbps.Select((k, i) => $"{stem}-{i}.mp3").ToArray();
        var decoded = kbps.Select((k, i) => $"{stem}-{i}.wav").ToArray();
        try
        {
            Wav.Write(wav, audio, WavSampleFormat.Float32);
            var encode = FfmpegArgs.Input(wav, threads: 1);
            for (int i = 0; i < kbps.Count; i++)
                encode.AddRange(["-map", "0:a", "-c:a", "libmp3lame", "-b:a", $"{kbps[i]}k", "-map_metadata", "-1", "-f", "mp3", "-y", mp3[i]]);
            using (var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, encode, wav)) p.WaitForSuccess("audio");
            var decode = FfmpegArgs.Input(mp3[0], threads: 1);
            foreach (var m in mp3.Skip(1)) decode.AddRange(["-i", FfmpegArgs.InputUrl(m)]);
            for (int i = 0; i < kbps.Count; i++)
                decode.AddRange(["-map", $"{i}:a", "-c:a", "pcm_f32le", "-ar", audio.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-ac", "1", "-bitexact", "-f", "wav", "-y", decoded[i]]);
            using (var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, decode, mp3[0])) p.WaitForSuccess("audio");
            return decoded.Select(path =>
            {
                var back = Wav.ReadMono(path).Samples;
                var samples = new float[audio.Samples.Length];
                back.AsSpan(0, Math.Min(back.Length, samples.Length)).CopyTo(samples);
                return new AudioBuffer(samples, audio.SampleRate);
            }).ToArray();
        }
        finally
        {
            foreach (var f in new[] { wav }.Concat(mp3).Concat(decoded)) File.Delete(f);
        }
    }
}
