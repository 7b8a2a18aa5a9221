using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Inference.Live;
using Aver.Inference.Tests.Live;
using Aver.Media;
using Aver.Models.Calibration;
using Aver.Tensors;

namespace Aver.Inference.Tests.Branches;

/// <summary>A decision-fusion model whose audio branch is a log-mel CNN: its file, its clip answer, its timeline, and a live stream.</summary>
public sealed class LogMelAudioBranchTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private DecisionFusionModel Model(double temperature = 1.3) =>
        (DecisionFusionModel)ModelLoader.Load(TinyBundle.WriteLogMel(_tmp.File("m"), temperature), () => throw new InvalidOperationException("audio only"));

    /// <summary>The clip's scores computed here from the network and front end directly: the centre's evaluation crops, band-standardised, mean logits.</summary>
    private static float[] DirectLogits(LogMelAudioBranch branch, AudioBuffer audio)
    {
        var pipeline = new LogMelPipeline(branch.FrontEnd.Options);
        var crops = pipeline.Crops(pipeline.Image(audio));                      // [K, 1, mels, frames]
        using var _ = GradMode.NoGrad();
        var scores = branch.Network.Forward(branch.FrontEnd.Normalized(crops));   // [K, classes]
        int k = scores.Dim(0), c = scores.Dim(1);
        var mean = new float[c];
        for (int i = 0; i < k * c; i++) mean[i % c] += scores.Data[i] / k;
        return mean;
    }

    [Fact]
    public void The_file_rebuilds_the_cnn_branch_and_a_clip_gets_its_centre_crops_calibrated_answer()
    {
        var model = Model(temperature: 1.3);
        var branch = Assert.IsType<LogMelAudioBranch>(model.Audio);
        Assert.Null(model.Visual);
        Assert.Equal(32, branch.FrontEnd.Options.Mels);
        Assert.Contains("audio CNN 4-8", model.Description);
        var audio = TestVoice.Of(4.2);
        var output = branch.Run(audio, [new TimeInterval(0, 4.2)]);
        Assert.Equal(BranchStatus.Used, output.Status);
        var expected = new float[7];
        TemperatureScaling.Softmax(DirectLogits(branch, audio), 1.3f, expected);
        Fixture.AssertClose(expected, output.Clip!.Values, "clip probabilities", 1e-5f, 1e-5f);
        Assert.Equal("3 log-mel crops", output.Message);
    }

    [Fact]
    public void An_ensemble_branch_answers_with_the_calibrated_mean_probability_of_its_networks_each_through_its_own_front_end()
    {
        var model = (DecisionFusionModel)ModelLoader.Load(TinyBundle.WriteLogMelEnsemble(_tmp.File("e"), 1.3), () => throw new InvalidOperationException("audio only"));
        var branch = Assert.IsType<LogMelAudioBranch>(model.Audio);
        Assert.Equal(2, branch.Members.Count);
        Assert.Equal(32, branch.Members[0].FrontEnd.Options.Bands);
        Assert.Equal(28, branch.Members[1].FrontEnd.Options.Bands);   // 16 MFCCs + 12 chroma
        Assert.Contains("the mean of 2 networks: audio CNN 4-8 on 32-band log-mel crops", model.Description);
        Assert.Contains("ResLSTM-SA 6 on 16 MFCCs + 12 chroma of 64-band log-mel crops", model.Description);

        var audio = TestVoice.Of(4.2);
        var output = branch.Run(audio, [new TimeInterval(0, 4.2)]);
        Assert.Equal(BranchStatus.Used, output.Status);
        // Each network alone, through its own front end; their softmaxes averaged, then the temperature on the log.
        var mean = new float[7];
        foreach (var (network, frontEnd) in branch.Members)
        {
            var p = new float[7];
            TemperatureScaling.Softmax(DirectLogits(new LogMelAudioBranch(network, frontEnd, branch.Labels, 1f), audio), 1f, p);
            for (int k = 0; k < 7; k++) mean[k] += p[k] / 2;
        }
        var expected = new float[7];
        TemperatureScaling.Softmax(mean.Select(v => MathF.Log(v)).ToArray(), 1.3f, expected);
        Fixture.AssertClose(expected, output.Clip!.Values, "ensemble probabilities", 1e-5f, 1e-5f);

        // Members must place the timeline alike: another clip length is refused.
        var (net, end) = branch.Members[1];
        var other = LogMelFrontEnd.Fit(end.Options with { ClipSeconds = 3.0 }, [new LogMelPipeline(end.Options with { ClipSeconds = 3.0 }).Image(audio)]);
        Assert.Throws<InvalidDataException>(() => new LogMelAudioBranch([branch.Members[0], (net, other)], branch.Labels, 1f));
    }

    [Fact]
    public void A_window_is_answered_by_the_clip_length_of_audio_centred_on_it()
    {
        var branch = (LogMelAudioBranch)Model().Audio!;
        var audio = TestVoice.Of(9);
        var output = branch.Run(audio, [new TimeInterval(4, 5), new TimeInterval(0, 1), new TimeInterval(8, 9)]);
        // Centred on 4.5 s: 2.75-6.25 s; near the ends the 3.5 s are shifted inside the recording (0-3.5, 5.5-9 s).
        foreach (var (w, start) in new[] { (0, 2.75), (1, 0.0), (2, 5.5) })
        {
            var expected = new float[7];
            TemperatureScaling.Softmax(DirectLogits(branch, audio.Slice(start, start + 3.5)), branch.Temperature, expected);
            Fixture.AssertClose(expected, output.Windows[w]!.Values, $"window {w}", 1e-5f, 1e-5f);
        }
        // A recording no longer than a clip: every window's context is all of it, so every window answers as the clip.
        var short_ = TestVoice.Of(3);
        var answers = branch.Run(short_, TimeWindows.Of(short_.Duration, 1, 0.5));
        Assert.All(answers.Windows, w => Assert.Equal(answers.Clip!.Values, w!.Values));
    }

    [Fact]
    public void A_long_recording_averages_the_tiles_that_hold_speech()
    {
        var branch = (LogMelAudioBranch)Model().Audio!;
        var samples = new float[15 * 16000];
        TestVoice.Of(7).Samples.CopyTo(samples, 0);                 // 7 s of voice, then 8 s of digital silence
        var audio = new AudioBuffer(samples, 16000);
        // Tiles of 3.5 s every 1.75 s: those starting at 0, 1.75, 3.5 and 5.25 s hold voice; 7 s on are silent.
        var tiles = new[] { 0, 1.75, 3.5, 5.25 }.Select(s => audio.Slice(s, s + 3.5)).ToList();
        var logits = branch.Logits(tiles);
        var mean = new float[7];
        for (int i = 0; i < logits.Length; i++) mean[i % 7] += logits[i] / tiles.Count;
        var expected = new float[7];
        TemperatureScaling.Softmax(mean, branch.Temperature, expected);
        Fixture.AssertClose(expected, branch.Run(audio, []).Clip!.Values, "long clip", 1e-5f, 1e-5f);
    }

    [Fact]
    public void Windows_on_the_same_hop_share_an_answer_and_silent_windows_have_none()
    {
        var branch = (LogMelAudioBranch)Model().Audio!;
        var samples = new float[10 * 16000];
        TestVoice.Of(6).Samples.CopyTo(samples, 0);                 // voice, then 4 s of digital silence
        var audio = new AudioBuffer(samples, 16000);
        var fine = TimeWindows.Of(audio.Duration, 2, 0.01);
        var output = branch.Run(audio, fine);
        var coarse = branch.Run(audio, TimeWindows.Of(audio.Duration, 2, 0.25));
        for (int w = 0; w < fine.Length; w++)
        {
            double snapped = Math.Round(fine[w].Start / 0.25) * 0.25;
            if (fine[w].End > 6.2 + 1e-9) { if (fine[w].Start >= 6) Assert.Null(output.Windows[w]); continue; }
            // A window answers as the window on the 0.25-s hop nearest it.
            int k = (int)Math.Round(snapped / 0.25);
            Assert.Equal(coarse.Windows[k]!.Values, output.Windows[w]!.Values);
        }
    }

    [Fact]
    public void A_stream_gets_the_files_window_answers_in_bounded_memory()
    {
        var model = Model();
        var audio = TestVoice.Of(30);
        var windows = new List<LiveWindow>();
        var summary = new LiveSession(model, new LiveOptions()).Run(new ChunkedAudio(audio), windows.Add);
        var file = TimeWindows.Of(audio.Duration, 1, 0.5);
        Assert.Equal(file, windows.Select(w => w.Window).ToArray());
        var batch = model.Audio!.Run(audio, file);
        for (int w = 0; w < file.Length; w++)
            Fixture.AssertClose(batch.Windows[w]!.Values, windows[w].Branches.Single(b => b.Branch == AudioBranch.BranchName).Answer!.Values, $"window {w}", 1e-5f, 1e-5f);
        // Held: a window, the clip length around it its answer reads, and a clip length before the next window (the last
        // contexts are shifted back once the stream ends) -- never the stream.
        Assert.InRange(summary.PeakHeldSeconds, 0.5, 2 * 3.5 + 1);
        var clip = summary.Prediction.Branches.Single(b => b.Name == AudioBranch.BranchName);
        Assert.Equal(BranchStatus.Used, clip.Status);
        var branch = (LogMelAudioBranch)model.Audio!;
        var contexts = file.Select(w => branch.Context(branch.SnappedWindow(w, audio.Duration), audio.Duration)).Distinct().Count();
        Assert.Equal(contexts, clip.Steps);   // the stream's answer is the mean over the distinct contexts it answered
    }
}
