using Aver.Features.Avef;
using Aver.Features.Mrpn;
using Aver.Features.Signal;
using Aver.Features.Vad;
using Aver.Media;

namespace Aver.Features.Tests.Vad;

/// <summary>The shared CREMA-D and RAVDESS audio-video clips (44.1 / 48 kHz, decoded by Aver.Media) through both front ends.</summary>
public class SharedClipTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<string> Clips => new()
    {
        "crema-d/1001_DFA_ANG_XX.flv",
        "crema-d/1002_DFA_HAP_XX.mp3",
        "ravdess/av/01-01-04-01-01-01-05.mp4",
    };

    [TheoryRequires(Need.SharedData)]
    [MemberData(nameof(Clips))]
    public void FrontEnds_GiveTheStatedShapes(string relative)
    {
        var audio = MediaDecoder.ReadAudio(TestPaths.Data(relative.Split('/')));
        Assert.NotEqual(16000, audio.SampleRate); // exercises Aver's resampler
        int samples16k = (int)Math.Ceiling(audio.Samples.Length * 16000.0 / audio.SampleRate);

        var mrpn = MrpnAudio.Compute(audio);
        Assert.Equal(new[] { 1 + (Math.Max(samples16k, 16000) - 16000) / 3200, 1, 256, 250 }, mrpn.Spectrograms.Shape.ToArray());
        Assert.All(mrpn.Spectrograms.Data, v => Assert.True(float.IsFinite(v)));

        var avef = AvefAudio.Compute(audio);
        int frames = Math.Max(AvefFrames.Count(samples16k), 64);
        Assert.Equal(new[] { 1 + (frames - 64) / 34, 3, 64, 64 }, avef.Stacks.Shape.ToArray());

        var vad = SohnVad.Detect(audio);
        double fraction = SohnVad.SpeechFraction(vad);
        output.WriteLine($"{relative}: {audio.Duration:0.00} s at {audio.SampleRate} Hz, {mrpn.Count} MRPN and {avef.Count} AVEF segments, speech {fraction:P0}");
        Assert.InRange(fraction, 0.2, 0.98);
        var kept = SegmentSelection.Apply(avef, vad);
        Assert.InRange(kept.Kept.Length, 1, avef.Count);
    }

    /// <summary>Aver's windowed-sinc resampler against ffmpeg's default swr on the same decoded track.</summary>
    [TheoryRequires(Need.SharedData)]
    [MemberData(nameof(Clips))]
    public void Resampler_IsCloseToFfmpeg(string relative)
    {
        var path = TestPaths.Data(relative.Split('/'));
        var native = MediaDecoder.ReadAudio(path);
        var ours = Resampler.Resample(native, 16000).Samples;
        var ffmpeg = MediaDecoder.ReadAudio(path, 16000).Samples;
        int n = Math.Min(ours.Length, ffmpeg.Length) - 200;
        double signal = 0, error = 0;
        for (int i = 200; i < n; i++) { signal += (double)ffmpeg[i] * ffmpeg[i]; error += (double)(ours[i] - ffmpeg[i]) * (ours[i] - ffmpeg[i]); }
        double snr = 10 * Math.Log10(signal / error);
        output.WriteLine($"{relative}: {native.SampleRate} -> 16000 Hz, lengths {ours.Length} / {ffmpeg.Length}, agreement {snr:0.0} dB");
        Assert.True(Math.Abs(ours.Length - ffmpeg.Length) <= 2, $"lengths {ours.Length} vs {ffmpeg.Length}");
        Assert.True(snr > 60, $"{relative}: Aver vs ffmpeg resampling agree only to {snr:0.0} dB");
    }
}
