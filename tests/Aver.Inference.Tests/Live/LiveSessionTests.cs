using Aver.Features;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Inference.Live;
using Aver.Media;

namespace Aver.Inference.Tests.Live;

/// <summary>A live session on generated audio streams (no ffmpeg): its windows, its answers against the same audio as a file, its memory, and stopping.</summary>
public sealed class LiveSessionTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private DecisionFusionModel Model() =>
        (DecisionFusionModel)ModelLoader.Load(TinyBundle.Write(_tmp.File("m")), () => throw new InvalidOperationException("audio only"));


    [Fact]
    public void A_stream_gets_the_windows_of_the_same_file_and_nearly_its_answers()
    {
        var model = Model();
        var audio = TestVoice.Of(12.3);
        var windows = new List<LiveWindow>();
        var summary = new LiveSession(model, new LiveOptions()).Run(new ChunkedAudio(audio), windows.Add);

        var file = TimeWindows.Of(audio.Duration, 1, 0.5);
        Assert.Equal(file, windows.Select(w => w.Window).ToArray());
        Assert.Null(summary.Problem);
        Assert.Equal(windows.Count, summary.Windows);

        // The file standardises with the whole clip's statistics, the stream with those heard so far: once a few seconds
        // are heard they agree, and the answers with them.
        var batch = model.Audio!.Run(audio, file);
        for (int w = 0; w < file.Length; w++)
        {
            if (file[w].Start < 3) continue;
            var live = windows[w].Branches.Single(b => b.Branch == AudioBranch.BranchName).Answer!;
            for (int k = 0; k < live.Values.Length; k++) Assert.Equal(batch.Windows[w]!.Values[k], live.Values[k], 0.02);
        }
        var clip = summary.Prediction.Branches.Single(b => b.Name == AudioBranch.BranchName);
        Assert.Equal(BranchStatus.Used, clip.Status);
        Assert.Equal(batch.Steps, clip.Steps);
        for (int k = 0; k < batch.Clip!.Values.Length; k++) Assert.Equal(batch.Clip.Values[k], clip.Probabilities!.Values[k], 0.05);
    }

    [Fact]
    public void Ten_minutes_of_stream_hold_only_seconds_of_audio()
    {
        var windows = 0;
        var summary = new LiveSession(Model(), new LiveOptions { WindowStep = 1 }).Run(new ChunkedAudio(TestVoice.Of(600)), _ => windows++);
        Assert.Equal(TimeWindows.Of(600, 1, 1).Length, windows);
        Assert.InRange(summary.PeakHeldSeconds, 1, 3);   // a window and the segment after it, however long the stream
        Assert.Equal(1 + (600 * 16000 - 16000) / 3200, summary.Prediction.Branches[0].Steps);
    }

    [Fact]
    public void Silence_in_a_stream_is_no_answer_for_its_windows_only()
    {
        var voice = TestVoice.Of(6);
        var x = voice.Samples.ToArray();
        Array.Clear(x, 2 * 16000, 2 * 16000);   // seconds 2-4 are digital silence
        var windows = new List<LiveWindow>();
        var summary = new LiveSession(Model(), new LiveOptions()).Run(new ChunkedAudio(new AudioBuffer(x, 16000)), windows.Add);
        var silent = windows.Where(w => w.Fused is null).Select(w => w.Window).ToArray();
        Assert.Contains(new TimeInterval(2, 3), silent);
        Assert.Contains(new TimeInterval(2.5, 3.5), silent);
        Assert.DoesNotContain(new TimeInterval(0, 1), silent);
        Assert.DoesNotContain(new TimeInterval(5, 6), silent);
        Assert.NotNull(summary.Prediction.Label);
    }

    [Fact]
    public void Stopping_a_stream_ends_it_with_the_summary_of_what_was_heard()
    {
        using var cancel = new CancellationTokenSource();
        var windows = new List<LiveWindow>();
        // The stream pauses after 4 s of audio until it is stopped; the session is cancelled once a window ending at 3 s is out.
        var stream = new ChunkedAudio(TestVoice.Of(30), at => at >= 4 * 16000);
        var summary = new LiveSession(Model(), new LiveOptions()).Run(stream, w =>
        {
            windows.Add(w);
            if (w.Window.End >= 3) cancel.Cancel();
        }, cancel.Token);
        Assert.True(summary.Stopped);
        Assert.Null(summary.Problem);
        Assert.InRange(summary.Prediction.Duration, 3, 4.01);
        Assert.NotNull(summary.Prediction.Label);
        Assert.Equal(TimeWindows.Of(summary.Prediction.Duration, 1, 0.5), windows.Select(w => w.Window).ToArray());
    }
}
