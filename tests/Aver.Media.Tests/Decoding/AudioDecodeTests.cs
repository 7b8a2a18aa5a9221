using System.Numerics.Tensors;

namespace Aver.Media.Tests.Decoding;

public class AudioDecodeTests
{
    [FactRequires(Need.SharedData)]
    public void DecodesEverySharedFileToMono16k()
    {
        foreach (var clip in SharedClips.All)
        {
            var info = MediaProbe.Probe(clip);
            var audio = MediaDecoder.ReadAudio(clip, 16000);
            Assert.Equal(16000, audio.SampleRate);
            Assert.True(Math.Abs(audio.Duration - info.Audio!.Duration!.Value) < 0.1,
                $"{clip}: decoded {audio.Duration:F3} s, probe says {info.Audio.Duration:F3} s");
            float peak = Math.Abs(TensorPrimitives.MaxMagnitude(audio.Samples));
            Assert.InRange(peak, 0.005f, 1.5f);   // speech, not silence, not garbage
        }
    }

    [FactRequires(Need.SharedData)]
    public void NativeRateIsKeptWhenNoRateIsAsked()
    {
        var a = MediaDecoder.ReadAudio(SharedClips.CremaMp3[0]);
        Assert.Equal(44100, a.SampleRate);
        var b = MediaDecoder.ReadAudio(SharedClips.RavdessAv[0]);
        Assert.Equal(48000, b.SampleRate);
    }

    /// <summary>
    /// README: the audio of an 01- clip is the same recording as the 03- file with the same suffix.
    /// After both reach 16 kHz (AAC decode + ffmpeg resampling vs. the shared 16 kHz WAV) they must
    /// correlate above 0.99 at their best alignment within ±0.125 s. (The mp4's audio is 533 samples,
    /// one video frame, later than the WAV's, the same for every pair.)
    /// </summary>
    [FactRequires(Need.SharedData)]
    public void RavdessAvAudioMatchesItsAudioOnlyTwin()
    {
        int pairs = 0;
        var lags = new List<int>();
        foreach (var clip in SharedClips.RavdessAv)
        {
            var name = Path.GetFileNameWithoutExtension(clip);
            var actor = name[^2..];
            var twin = TestPaths.Data("ravdess", "speech16k", $"Actor_{actor}", "03-" + name[3..] + ".wav");
            if (!File.Exists(twin)) continue;
            pairs++;
            var av = MediaDecoder.ReadAudio(clip, 16000).Samples;
            var wav = MediaDecoder.ReadAudio(twin, 16000).Samples;
            var (corr, lag) = BestCorrelation(av, wav, maxLag: 2000);
            Assert.True(corr > 0.99, $"{name}: best correlation {corr:F4} at lag {lag} samples");
            lags.Add(lag);
        }
        Assert.True(pairs >= 1, "no 01-/03- pair found in the shared data");
        // Measured: every pair aligns at the same 533-sample (33 ms, one video frame) offset, correlation 0.991-0.994.
        Assert.True(lags.Max() - lags.Min() <= 2, $"the 01-/03- offset should be the same for every pair: {string.Join(", ", lags)}");
    }

    [Fact]
    public void StereoMixdownIsTheMeanAndResamplingKeepsATone()
    {
        using var dir = new TempDir();
        // Left: 440 Hz tone, right: silence. Mean = half the tone.
        var wav = dir.File("lr.wav");
        TempDir.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono",
                       "-filter_complex", "[0:a][1:a]amerge=inputs=2[a]", "-map", "[a]", "-t", "1", "-c:a", "pcm_f32le", wav);
        var native = MediaDecoder.ReadAudio(wav);                 // native WAV path
        var piped = MediaDecoder.ReadAudio(wav, 16000);           // ffmpeg path with resampling
        var left = Wav.Read(wav).Channels[0];
        Assert.Equal(48000, native.SampleRate);
        for (int i = 0; i < 1000; i++) Assert.Equal(left[i] / 2, native.Samples[i], 6);
        Assert.Equal(16000, piped.SampleRate);
        Assert.InRange(piped.Samples.Length, 15990, 16010);
        // A 440 Hz tone of amplitude a has RMS a/sqrt(2); ffmpeg's sine source has a = 1/8, halved by the mixdown.
        float rms = MathF.Sqrt(TensorPrimitives.SumOfSquares(piped.Samples.AsSpan(1000, 14000)) / 14000);
        Assert.InRange(rms, 0.0625f / MathF.Sqrt(2) * 0.97f, 0.0625f / MathF.Sqrt(2) * 1.03f);
    }

    [Fact]
    public void DecodesCommonAudioContainers()
    {
        using var dir = new TempDir();
        var outputs = new[] { ("a.flac", "flac"), ("a.mp3", "libmp3lame"), ("a.avi", "pcm_s16le"), ("a.wav", "pcm_s24le"), ("mulaw.wav", "pcm_mulaw") };
        // One ffmpeg run writes every file (process start is the slow part on a busy machine).
        TempDir.Ffmpeg(["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100:duration=0.5",
                        .. outputs.SelectMany(o => new[] { "-map", "0", "-c:a", o.Item2, dir.File(o.Item1) })]);
        foreach (var (name, _) in outputs)
        {
            var f = dir.File(name);
            var a = MediaDecoder.ReadAudio(f, 8000);
            Assert.Equal(8000, a.SampleRate);
            Assert.InRange(a.Duration, 0.45, 0.56);
            Assert.InRange(Math.Abs(TensorPrimitives.MaxMagnitude(a.Samples)), 0.1f, 0.15f);   // sine source amplitude 1/8
        }
    }

    /// <summary>Pearson correlation of a and b at the shift (b moved by lag) that maximises it (means removed once, globally).</summary>
    internal static (double Corr, int Lag) BestCorrelation(float[] a, float[] b, int maxLag)
    {
        a = Centred(a); b = Centred(b);
        // Coarse search every 8 samples (speech at 16 kHz barely decorrelates over 0.5 ms), then refine.
        var (_, coarse) = Search(a, b, -maxLag, maxLag, 8);
        return Search(a, b, coarse - 8, coarse + 8, 1);
    }

    private static (double Corr, int Lag) Search(float[] a, float[] b, int from, int to, int step)
    {
        double best = double.NegativeInfinity; int bestLag = 0;
        for (int lag = from; lag <= to; lag += step)
        {
            int a0 = Math.Max(0, lag), b0 = Math.Max(0, -lag);
            int n = Math.Min(a.Length - a0, b.Length - b0);
            if (n < a.Length / 2) continue;
            double c = TensorPrimitives.CosineSimilarity(a.AsSpan(a0, n), b.AsSpan(b0, n));
            if (c > best) { best = c; bestLag = lag; }
        }
        return (best, bestLag);
    }

    private static float[] Centred(float[] x)
    {
        var s = (float[])x.Clone();
        TensorPrimitives.Subtract(s, TensorPrimitives.Sum(s) / s.Length, s);
        return s;
    }
}
