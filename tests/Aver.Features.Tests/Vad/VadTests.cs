using Aver.Features.Avef;
using Aver.Features.Vad;
using Aver.Media;

namespace Aver.Features.Tests.Vad;

public class VadTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double Fraction(byte[] d, double from, double to) =>
        SohnVad.SpeechFraction(d, (int)(from * 100), (int)((to - from) * 100));

    [Fact]
    public void Detect_MarksBurstsAndSilences()
    {
        var audio = Signals.Bursts(1, 4.0, (0.8, 1.6), (2.5, 3.2));
        var d = SohnVad.Detect(audio);
        Assert.Equal(AvefFrames.Count(audio.Samples.Length), d.Length);
        Assert.True(Fraction(d, 0.0, 0.7) < 0.05, $"leading silence {Fraction(d, 0.0, 0.7)}");
        Assert.True(Fraction(d, 0.85, 1.55) > 0.95, $"first burst {Fraction(d, 0.85, 1.55)}");
        Assert.True(Fraction(d, 1.8, 2.4) < 0.05, $"gap {Fraction(d, 1.8, 2.4)}");
        Assert.True(Fraction(d, 2.55, 3.15) > 0.95, $"second burst {Fraction(d, 2.55, 3.15)}");
        Assert.True(Fraction(d, 3.4, 3.97) < 0.05, $"trailing silence {Fraction(d, 3.4, 3.97)}");
    }

    [Fact]
    public void Detect_HangoverExtendsSpeechBriefly()
    {
        var audio = Signals.Bursts(2, 2.0, (0.5, 1.0));
        var withHold = SohnVad.Detect(audio, new SohnVadOptions { HangoverFrames = 10 });
        var without = SohnVad.Detect(audio, new SohnVadOptions { HangoverFrames = 0 });
        Assert.True(withHold.Sum(b => b) >= without.Sum(b => b) + 8, $"{withHold.Sum(b => b)} vs {without.Sum(b => b)}");
    }

    [Fact]
    public void Detect_SteadyNoiseIsNotSpeech()
    {
        var audio = new AudioBuffer(Signals.Noise(3, 32000, 0.05f), 16000);
        Assert.True(SohnVad.SpeechFraction(SohnVad.Detect(audio)) < 0.05);
    }

    [Fact]
    public void Detect_DigitalSilenceIsNotSpeech()
    {
        var d = SohnVad.Detect(new AudioBuffer(new float[16000], 16000));
        Assert.All(d, v => Assert.Equal(0, v));
    }

    [Fact]
    public void SegmentSelection_DropsSilentSegmentsAndReportsWhichWereKept()
    {
        var audio = Signals.Bursts(4, 3.0, (1.0, 2.0));
        var segments = AvefAudio.Compute(audio);
        var d = SohnVad.Detect(audio);
        var all = SegmentSelection.Apply(segments, d, SilenceHandling.KeepAll);
        Assert.Equal(segments.Count, all.Kept.Length);
        var voiced = SegmentSelection.Apply(segments, d, SilenceHandling.DropSilent);
        Assert.InRange(voiced.Kept.Length, 1, segments.Count - 2);
        foreach (int s in voiced.Kept)
        {
            var t = segments.Times[s];
            Assert.True(t.End > 1.0 && t.Start < 2.0, $"kept segment {t} lies outside the burst");
        }
        // the stacks of kept segments are copied in order
        int k = voiced.Kept[0];
        Assert.Equal(segments.Stacks[k, 0, 5, 5], voiced.Segments.Stacks[0, 0, 5, 5]);
        Assert.Equal(segments.Times[k], voiced.Segments.Times[0]);
    }

    [Fact]
    public void SegmentSelection_KeepsTheBestSegmentOfASilentClip()
    {
        var audio = new AudioBuffer(Signals.Noise(5, 24000, 0.001f), 16000);
        var sel = SegmentSelection.Apply(AvefAudio.Compute(audio), SohnVad.Detect(audio));
        Assert.Single(sel.Kept);
    }

    /// <summary>
    /// RAVDESS clips begin and end with about 0.3 s of room silence: the first 0.2 s should be mostly
    /// non-speech, the middle mostly speech, and the last 0.2 s mostly non-speech, in most files.
    /// </summary>
    [FactRequires(Need.SharedData)]
    public void Detect_MarksLeadingAndTrailingSilencesOfRavdess()
    {
        var root = TestPaths.Data("ravdess", "speech16k");
        var files = Directory.GetDirectories(root).OrderBy(d => d).SelectMany(d => Directory.GetFiles(d, "*.wav").OrderBy(f => f).Where((_, i) => i % 6 == 0)).ToList();
        Assert.True(files.Count >= 100, $"only {files.Count} files");
        int leading = 0, middle = 0, trailing = 0;
        var report = new List<string>();
        foreach (var file in files)
        {
            var audio = Wav.ReadMono(file);
            var d = SohnVad.Detect(audio);
            double dur = audio.Duration;
            double lead = Fraction(d, 0, 0.2), mid = Fraction(d, dur / 2 - 0.25, dur / 2 + 0.25), trail = Fraction(d, dur - 0.225, dur - 0.025);
            if (lead < 0.25) leading++;
            if (mid > 0.5) middle++;
            if (trail < 0.25) trailing++;
            if (lead >= 0.25 || mid <= 0.5 || trail >= 0.25) report.Add($"{Path.GetFileName(file)} lead {lead:0.00} mid {mid:0.00} trail {trail:0.00}");
        }
        double n = files.Count;
        output.WriteLine($"leading silent {leading}/{n}, middle speech {middle}/{n}, trailing silent {trailing}/{n}");
        foreach (var line in report) output.WriteLine(line);
        Assert.True(leading >= 0.9 * n && middle >= 0.9 * n && trailing >= 0.9 * n,
            $"leading silent {leading}/{n}, middle speech {middle}/{n}, trailing silent {trailing}/{n}: {string.Join("; ", report.Take(40))}");
    }
}

public class EmptyClipTests
{
    [Fact]
    public void FrontEnds_AcceptAnEmptyClip()
    {
        var empty = new AudioBuffer([], 16000);
        Assert.Equal(1, Aver.Features.Mrpn.MrpnAudio.Compute(empty).Count);
        Assert.Equal(1, AvefAudio.Compute(empty).Count);
        Assert.Empty(SohnVad.Detect(empty));
        Assert.Equal(0, SohnVad.SpeechFraction([]));
        Assert.Empty(new Aver.Features.Signal.Resampler(44100, 16000).Process([]));
    }
}
