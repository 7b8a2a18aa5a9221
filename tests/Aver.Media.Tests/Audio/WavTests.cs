namespace Aver.Media.Tests.Audio;

public class WavTests
{
    private static float[][] Signal(int channels, int frames, int seed)
    {
        var rng = new Random(seed);
        var x = new float[channels][];
        for (int c = 0; c < channels; c++)
        {
            x[c] = new float[frames];
            for (int t = 0; t < frames; t++) x[c][t] = (float)(rng.NextDouble() * 2 - 1) * 0.99f;
        }
        return x;
    }

    private static float Tolerance(WavSampleFormat f) => f switch
    {
        WavSampleFormat.Pcm8 => 0.5f / 128 + 1e-6f,
        WavSampleFormat.Pcm16 => 0.5f / 32768 + 1e-7f,
        WavSampleFormat.Pcm24 => 0.5f / 8388608 + 1e-7f,
        WavSampleFormat.Pcm32 => 1e-7f,
        _ => 0f,
    };

    [Theory]
    [InlineData(WavSampleFormat.Pcm8, 1)]
    [InlineData(WavSampleFormat.Pcm16, 1)]
    [InlineData(WavSampleFormat.Pcm16, 2)]
    [InlineData(WavSampleFormat.Pcm24, 2)]
    [InlineData(WavSampleFormat.Pcm32, 3)]
    [InlineData(WavSampleFormat.Float32, 1)]
    [InlineData(WavSampleFormat.Float32, 6)]
    [InlineData(WavSampleFormat.Float64, 2)]
    public void RoundTripKeepsSamplesWithinQuantisation(WavSampleFormat format, int channels)
    {
        using var dir = new TempDir();
        var path = dir.File("x.wav");
        var x = Signal(channels, 1001, seed: channels * 10 + (int)format);   // odd length exercises the pad byte for 8-bit mono
        Wav.Write(path, x, 22050, format);

        var info = Wav.ReadInfo(path);
        Assert.Equal(new WavInfo(22050, channels, format, 1001), info);
        var back = Wav.Read(path);
        Assert.Equal(channels, back.Channels.Length);
        for (int c = 0; c < channels; c++)
            Fixture.AssertClose(x[c], back.Channels[c], $"{format} channel {c}", rtol: 0, atol: Tolerance(format));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void MonoIsTheMeanOfTheChannels()
    {
        using var dir = new TempDir();
        var path = dir.File("st.wav");
        var x = Signal(3, 500, seed: 7);
        Wav.Write(path, x, 8000, WavSampleFormat.Float32);
        var mono = Wav.ReadMono(path);
        Assert.Equal(8000, mono.SampleRate);
        var mean = new float[500];
        for (int t = 0; t < 500; t++) mean[t] = (x[0][t] + x[1][t] + x[2][t]) / 3;
        Fixture.AssertClose(mean, mono.Samples, "mixdown", rtol: 0, atol: 1e-6f);
    }

    [Fact]
    public void IntegerWritesClipOutOfRangeSamples()
    {
        using var dir = new TempDir();
        var path = dir.File("clip.wav");
        Wav.Write(path, new AudioBuffer([2f, -2f, 0.5f], 16000));
        var back = Wav.ReadMono(path).Samples;
        Assert.Equal(32767f / 32768, back[0]);
        Assert.Equal(-1f, back[1]);
        Assert.Equal(0.5f, back[2]);
    }

    /// <summary>ffmpeg (a trusted decoder) writes each format; our reader must agree with its own float decode.</summary>
    [Theory]
    [InlineData("pcm_u8", WavSampleFormat.Pcm8, 2)]
    [InlineData("pcm_s16le", WavSampleFormat.Pcm16, 1)]
    [InlineData("pcm_s24le", WavSampleFormat.Pcm24, 2)]
    [InlineData("pcm_s32le", WavSampleFormat.Pcm32, 4)]
    [InlineData("pcm_f32le", WavSampleFormat.Float32, 2)]
    [InlineData("pcm_f64le", WavSampleFormat.Float64, 1)]
    public void ReadsWavFilesWrittenByFfmpeg(string codec, WavSampleFormat format, int channels)
    {
        using var dir = new TempDir();
        var wav = dir.File("ff.wav");
        var raw = dir.File("ff.f32");
        // One run writes the WAV and the same samples as raw float32; they differ by the format's quantisation.
        var ac = channels.ToString();
        TempDir.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=11025:duration=0.5,volume=0.8",
                       "-ac", ac, "-c:a", codec, wav, "-ac", ac, "-f", "f32le", "-c:a", "pcm_f32le", raw);
        var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(raw)).ToArray();

        var audio = Wav.Read(wav);
        Assert.Equal(format, audio.Format);
        Assert.Equal(11025, audio.SampleRate);
        Assert.Equal(channels, audio.Channels.Length);
        var interleaved = new float[audio.Frames * channels];
        for (int t = 0; t < audio.Frames; t++)
            for (int c = 0; c < channels; c++) interleaved[t * channels + c] = audio.Channels[c][t];
        Fixture.AssertClose(expected, interleaved, codec, rtol: 0, atol: Tolerance(format) + 1e-6f);
    }

    [Fact]
    public void ErrorsNameTheFileAndTheProblem()
    {
        using var dir = new TempDir();
        var missing = dir.File("missing.wav");
        Assert.Contains("not found", Assert.Throws<MediaException>(() => Wav.ReadMono(missing)).Message);

        var empty = dir.File("empty.wav");
        File.WriteAllBytes(empty, []);
        var e = Assert.Throws<MediaException>(() => Wav.ReadMono(empty));
        Assert.Contains(empty, e.Message); Assert.Contains("empty", e.Message);

        var text = dir.File("text.wav");
        File.WriteAllText(text, "this is not audio at all, just some words");
        e = Assert.Throws<MediaException>(() => Wav.ReadMono(text));
        Assert.Contains(text, e.Message); Assert.Contains("not a WAV", e.Message);

        var whole = dir.File("whole.wav");
        Wav.Write(whole, new AudioBuffer(new float[1000], 8000));
        var cut = dir.File("cut.wav");
        File.WriteAllBytes(cut, File.ReadAllBytes(whole)[..1200]);
        e = Assert.Throws<MediaException>(() => Wav.ReadMono(cut));
        Assert.Contains(cut, e.Message); Assert.Contains("truncated", e.Message);

        var mulaw = dir.File("mulaw.wav");
        TempDir.Ffmpeg("-f", "lavfi", "-i", "sine=duration=0.1", "-c:a", "pcm_mulaw", mulaw);
        e = Assert.Throws<WavEncodingNotSupportedException>(() => Wav.ReadMono(mulaw));
        Assert.Contains(mulaw, e.Message); Assert.Contains("unsupported WAV encoding: format code 0x0007", e.Message);

        File.WriteAllBytes(cut, File.ReadAllBytes(whole)[..30]);
        e = Assert.Throws<MediaException>(() => Wav.ReadInfo(cut));
        Assert.Contains("truncated", e.Message);
    }

    [FactRequires(Need.SharedData)]
    public void ReadsSharedRavdessSpeech()
    {
        var files = Directory.GetFiles(TestPaths.Data("ravdess", "speech16k", "Actor_01"), "*.wav");
        Assert.Equal(60, files.Length);
        var a = Wav.ReadMono(files[0]);
        Assert.Equal(16000, a.SampleRate);
        Assert.InRange(a.Duration, 2.5, 6.0);
        Assert.InRange(a.Samples.Max(Math.Abs), 0.01f, 1f);
    }
}
