using Aver.Features.Mrpn;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Inference.Tests.Branches;

/// <summary>Recordings of any length are answered in bounded memory; the timeline's cost does not grow with the step.</summary>
public sealed class LongRecordingTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static FaceTracker NoTracker() => throw new InvalidOperationException("audio only");

    private static AudioBranch Branch(string folder) => (AudioBranch)((DecisionFusionModel)ModelLoader.Load(TinyBundle.Write(folder), NoTracker)).Audio!;


    [Fact]
    public void A_long_recording_gets_the_segments_of_the_whole_clip_slice_by_slice()
    {
        var branch = Branch(_tmp.File("m"));
        var audio = TestVoice.Of(150);   // longer than two slices: cut into minutes
        var sliced = branch.Segments(audio);
        using var _ = GradMode.NoGrad();
        var whole = MrpnAudio.Compute(audio, branch.Features);
        var pooled = whole.Spectrograms.AvgPool2d(branch.Pool);
        Assert.Equal(whole.Times, sliced.Times);
        Assert.Equal(pooled.Shape.ToArray(), sliced.Spectrograms.Shape.ToArray());
        // Segments away from a slice edge (60 s, 120 s) are the same; at an edge only the padded STFT frames differ.
        int per = pooled.Data.Length / whole.Times.Length;
        for (int s = 0; s < whole.Times.Length; s++)
        {
            var t = whole.Times[s];
            if (Math.Abs(t.Start - 60) < 1.5 || Math.Abs(t.End - 60) < 1.5 || Math.Abs(t.Start - 120) < 1.5 || Math.Abs(t.End - 120) < 1.5) continue;
            Fixture.AssertClose(pooled.Data.AsSpan(s * per, per), sliced.Spectrograms.Data.AsSpan(s * per, per), $"segment at {t.Start:F1} s", 1e-4f, 1e-4f);
        }
    }

    [Fact]
    public void A_step_finer_than_the_segments_costs_no_more_than_the_segments()
    {
        var branch = Branch(_tmp.File("m"));
        var audio = TestVoice.Of(20);
        var coarse = TimeWindows.Of(audio.Duration, 1, 0.2);
        var fine = TimeWindows.Of(audio.Duration, 1, 0.0001);
        Assert.True(fine.Length <= TimeWindows.MaxWindows);
        var a = branch.Run(audio, coarse);
        var b = branch.Run(audio, fine);
        Assert.Equal(a.Clip!.Values, b.Clip!.Values);
        // A window holds the segments whose centre lies in it: the fine timeline's answers are the coarse one's.
        var distinct = b.Windows.OfType<ClassProbabilities>().Select(p => string.Join(",", p.Values)).Distinct().Count();
        Assert.True(distinct <= a.Windows.Length + 6, $"{distinct} distinct answers for {a.Windows.Length} coarse windows");
    }

    [Fact]
    public void Non_finite_samples_are_refused_naming_the_file()
    {
        var x = new float[16000];
        for (int i = 0; i < x.Length; i++) x[i] = 0.3f * MathF.Sin(i * 0.1f);
        x[8000] = float.NaN;
        var path = _tmp.File("nan.wav");
        Wav.Write(path, new AudioBuffer(x, 16000), WavSampleFormat.Float32);
        var e = Assert.Throws<MediaException>(() => MediaDecoder.ReadAudio(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("non-finite audio samples (NaN or infinity), the first at 0.500 s", e.Message);
    }
}
