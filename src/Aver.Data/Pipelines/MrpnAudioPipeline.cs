using System.Collections.Concurrent;
using Aver.Data.Catalogs;
using Aver.Features;
using Aver.Features.Augmentation;
using Aver.Features.Mrpn;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>
/// Clip -> MRPN audio input: the catalog item's audio at 16 kHz, optionally a random time slice
/// (MRPN time augmentation, §4.4 item 4), then its spectrogram segments [S, 1, bins, frames]
/// (<see cref="MrpnAudio"/>), optionally average-pooled by <see cref="Pool"/> in both axes so the
/// extractor trains on a CPU. Decoded audio is kept in memory (an hour of 16 kHz speech is 230 MB), and
/// so are the whole-clip segments (the same every epoch without augmentation: validation and test
/// clips, and all clips of a run without time augmentation) up to <paramref name="segmentCacheBytes"/>.
/// </summary>
public sealed class MrpnAudioPipeline(MrpnAudioOptions? options = null, int pool = 1, long segmentCacheBytes = 1L << 30)
{
    private readonly ConcurrentDictionary<string, AudioBuffer> _audio = new();
    private readonly ConcurrentDictionary<string, MrpnAudioSegments> _segments = new();
    private long _cachedBytes;

    public MrpnAudioOptions Options { get; } = options ?? new MrpnAudioOptions();

    /// <summary>Pooling factor of the spectrogram images (1 = the paper's 256 x 250).</summary>
    public int Pool { get; } = pool >= 1 ? pool : throw new ArgumentOutOfRangeException(nameof(pool), pool, "pool factor must be at least 1");

    /// <summary>Shape of one step: [1, bins / Pool, frames / Pool].</summary>
    public int[] StepShape => [1, Options.Bins / Pool, Options.Frames / Pool];

    /// <summary>The clip's audio, decoded once.</summary>
    public AudioBuffer Audio(CatalogItem item) => _audio.GetOrAdd(item.Path, p => MediaDecoder.ReadAudio(p, Options.SampleRate));

    /// <summary>Segments [S, 1, H, W] of the whole clip, or of a random slice of at least 1 s when <paramref name="augment"/> is given.</summary>
    public MrpnAudioSegments Segments(CatalogItem item, RandomStream? augment = null) =>
        SegmentsIn(item, augment is null ? null : TimeSlice.Random(Audio(item).Duration, augment));

    /// <summary>Segments [S, 1, H, W] of <paramref name="slice"/> of the clip (the whole clip when null); the audio-visual set cuts both modalities with one slice.</summary>
    public MrpnAudioSegments SegmentsIn(CatalogItem item, TimeInterval? slice)
    {
        if (slice is not null) return Compute(item, slice);
        if (_segments.TryGetValue(item.Path, out var cached)) return cached;
        var whole = Compute(item, null);
        long bytes = 4L * whole.Spectrograms.Size;
        // Callers only read input tensors, so one copy serves every epoch; past the budget, recompute.
        if (Interlocked.Add(ref _cachedBytes, bytes) <= segmentCacheBytes) return _segments.GetOrAdd(item.Path, whole);
        Interlocked.Add(ref _cachedBytes, -bytes);
        return whole;
    }

    private MrpnAudioSegments Compute(CatalogItem item, TimeInterval? slice) => Segments(Audio(item), slice);

    /// <summary>
    /// Segments [S, 1, H, W] of <paramref name="slice"/> of decoded audio (the whole clip when null), pooled
    /// as in training: what a trained model's bundle feeds it at prediction time.
    /// </summary>
    public MrpnAudioSegments Segments(AudioBuffer audio, TimeInterval? slice = null)
    {
        var seg = MrpnAudio.Compute(audio, Options, slice);
        if (Pool == 1) return seg;
        var x = seg.Spectrograms;
        using (GradMode.NoGrad()) x = x.AvgPool2d(Pool);
        return seg with { Spectrograms = x };
    }
}
