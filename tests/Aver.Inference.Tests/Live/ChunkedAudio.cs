using Aver.Inference.Live;
using Aver.Media;

namespace Aver.Inference.Tests.Live;

/// <summary>An audio-only stream handing out <paramref name="audio"/> in chunks of uneven sizes, as a decoder's pipe does.</summary>
internal sealed class ChunkedAudio(AudioBuffer audio, Func<int, bool>? pauseAfter = null) : ILiveStream
{
    private volatile bool _stopped;
    public string Name => "generated";
    public string Layout => "audio generated 16000 Hz mono";
    public bool HasAudio => true;
    public bool HasVideo => false;
    public IEnumerable<VideoFrame> Frames() => [];
    public string? Problem() => null;
    public void Stop() => _stopped = true;

    public IEnumerable<float[]> AudioChunks()
    {
        var sizes = new[] { 320, 1024, 1600, 77, 4000, 2048 };
        for (int at = 0, k = 0; at < audio.Samples.Length && !_stopped; k++)
        {
            int n = Math.Min(sizes[k % sizes.Length], audio.Samples.Length - at);
            yield return audio.Samples[at..(at + n)];
            at += n;
            while (pauseAfter?.Invoke(at) == true && !_stopped) Thread.Sleep(10);
        }
    }
}
