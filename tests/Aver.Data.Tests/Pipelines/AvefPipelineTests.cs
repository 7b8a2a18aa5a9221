using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Cache;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Tests.Pipelines;

public sealed class AvefPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-avef-pipe-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    // 4 s at 16 kHz: faint noise, with a loud harmonic "vowel" (150 Hz and overtones, 4 Hz tremolo) in [voicedStart, voicedEnd).
    private static AudioBuffer Generated(double voicedStart, double voicedEnd, double seconds = 4, ulong seed = 1)
    {
        var rng = new RandomStream(seed);
        var x = new float[(int)(seconds * 16000)];
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / 16000.0;
            double v = 0.002 * rng.NextNormal();
            if (t >= voicedStart && t < voicedEnd)
            {
                double envelope = 0.6 + 0.4 * Math.Sin(2 * Math.PI * 4 * t);
                for (int h = 1; h <= 8; h++) v += envelope * 0.3 / h * Math.Sin(2 * Math.PI * 150 * h * t);
            }
            x[i] = (float)v;
        }
        return new AudioBuffer(x, 16000);
    }

    [Fact]
    public void Case1GivesEverySegmentAsA64x64x3Stack()
    {
        var clip = new AvefAudioPipeline().Segments(Generated(0, 4));
        // 4 s = 398 frames of 10 ms; 64-frame segments every 34 frames: 1 + (398 - 64) / 34 = 10.
        Assert.Equal(10, clip.Count);
        Assert.Equal([10, 3, 64, 64], clip.Stacks.Shape.ToArray());
        Assert.Equal(Enumerable.Range(0, 10), clip.Kept);
        Assert.Equal(0.655, clip.Times[0].End - clip.Times[0].Start, 3);
        Assert.Equal(0.34, clip.Times[1].Start, 3);
    }

    [Fact]
    public void Case2DropsTheSilentSegmentsAndKeepsTheVoicedOnes()
    {
        var audio = Generated(1.5, 3.0);
        var all = new AvefAudioPipeline().Segments(audio);
        var voiced = new AvefAudioPipeline(handling: SilenceHandling.DropSilent).Segments(audio);
        Assert.True(voiced.Count < all.Count, $"case 2 kept {voiced.Count} of {all.Count}");
        Assert.True(voiced.Count >= 2, $"case 2 kept only {voiced.Count}");
        Assert.Equal(all.Count, voiced.TotalSegments);
        Assert.Equal(voiced.Count, voiced.Stacks.Dim(0));
        foreach (var (t, k) in voiced.Times.Zip(voiced.Kept))
        {
            Assert.True(t.End > 1.5 && t.Start < 3.0, $"kept segment {k} [{t.Start}, {t.End}) lies outside the voiced part");
            Assert.True(voiced.SpeechFractions[k] >= 0.5);
            // The kept stack is the case-1 stack of the same segment.
            int i = Array.IndexOf(voiced.Kept, k);
            Assert.Equal(all.Stacks.Data.AsSpan(k * 3 * 64 * 64, 3 * 64 * 64).ToArray(), voiced.Stacks.Data.AsSpan(i * 3 * 64 * 64, 3 * 64 * 64).ToArray());
        }
        // The first second is silence: segment 0 ([0, 0.655)) is dropped.
        Assert.DoesNotContain(0, voiced.Kept);
    }

    [Fact]
    public void FilesGoThroughTheCacheAndGiveTheSameSegments()
    {
        string wav = Path.Combine(_dir, "clip.wav");
        Wav.Write(wav, Generated(0.5, 2.5, seconds: 3));
        var cache = new FeatureCache(Path.Combine(_dir, "cache"));
        var pipeline = new AvefAudioPipeline(handling: SilenceHandling.DropSilent, cache: cache);
        var first = pipeline.Segments(wav);
        Assert.Equal(2, cache.Misses); // segments and VAD decisions
        var second = pipeline.Segments(wav);
        Assert.Equal(2, cache.Hits);
        Assert.Equal(first.Kept, second.Kept);
        Assert.Equal(first.Stacks.Data, second.Stacks.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AvefAudioPipeline(minSpeechFraction: 1.5));
    }

    [Fact]
    public void FaceSegmentsTake16FramesAlignedToEachAudioSegment()
    {
        // 2 s of 4x4 grey frames at 25 fps whose value is the frame index.
        const int frames = 50;
        var crops = new Tensor(frames, 1, 4, 4);
        for (int f = 0; f < frames; f++) crops.Data.AsSpan(f * 16, 16).Fill(f);
        var times = Enumerable.Range(0, frames).Select(f => f / 25.0).ToArray();
        TimeInterval[] segments = [new(0, 0.655), new(0.34, 0.995), new(1.9, 2.5)];
        var v = AvefVisualPipeline.Assemble(crops, times, segments);
        Assert.Equal([3, 1, 16, 4, 4], v.Shape.ToArray());
        // [0, 0.655) holds frames 0..16 (17 frames): the surplus one is dropped at the end -> 0..15.
        for (int t = 0; t < 16; t++) Assert.Equal(t, v.Data[(0 * 16 + t) * 16]);
        // [0.34, 0.995) holds frames 9..24 (16 frames) exactly.
        for (int t = 0; t < 16; t++) Assert.Equal(9 + t, v.Data[(1 * 16 + t) * 16]);
        // [1.9, 2.5) holds frames 48, 49: each repeated to fill 16.
        Assert.Equal(48, v.Data[(2 * 16 + 0) * 16]);
        Assert.Equal(49, v.Data[(2 * 16 + 15) * 16]);
        Assert.Throws<ShapeException>(() => AvefVisualPipeline.Assemble(crops, times[..10], segments));
    }

    [Fact]
    public void StandardisedPlanesHaveZeroMeanAndUnitVarianceOverTheClip()
    {
        var clip = new AvefAudioPipeline(standardize: true).Segments(Generated(0.5, 3.5));
        int s = clip.Count, area = 64 * 64;
        for (int p = 0; p < 3; p++)
        {
            double sum = 0, sq = 0;
            for (int i = 0; i < s; i++)
                foreach (float v in clip.Stacks.Data.AsSpan((i * 3 + p) * area, area)) { sum += v; sq += v * v; }
            Assert.Equal(0, sum / (s * area), 3);
            Assert.Equal(1, sq / (s * area), 2);
        }
        var constant = AvefAudioPipeline.StandardizePlanes(Tensor.Full(3f, 2, 3, 4, 4));
        Assert.All(constant.Data, v => Assert.Equal(0f, v));
    }
}
