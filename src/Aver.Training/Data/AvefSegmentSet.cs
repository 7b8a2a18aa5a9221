using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>A batch of AVEF segments: audio stacks [N, 3, 64, 64] and, for audio-visual AVEF, the aligned face segments [N, C, 16, H, W].</summary>
public sealed record AvefSegments(Tensor Audio, Tensor? Visual);

/// <summary>
/// AVEF's training examples (§2.2): every segment of every clip, labelled with its clip's label
/// ("trained on segments with the clip label"), held in memory as one tensor per modality. Clips keep
/// their segments contiguous and in time order, so clip-level fusion (average pooling, SVM) maps a
/// protocol's clip indices to segment indices with <see cref="SegmentsOf"/>.
/// </summary>
public sealed class AvefSegmentSet : IExampleSet<AvefSegments>
{
    private readonly int[] _segmentClip;
    private readonly int[] _clipStart; // clip c's segments are [_clipStart[c], _clipStart[c + 1])
    private readonly int[] _clipLabels;

    /// <param name="audio">Per clip, its segments [S_c, 3, H, W] (S_c &gt;= 1).</param>
    /// <param name="visual">Per clip, its face segments [S_c, C, T, H, W] aligned to the audio ones; null for audio only.</param>
    /// <param name="clipLabels">Per clip, its class index in <paramref name="labels"/>.</param>
    public AvefSegmentSet(IReadOnlyList<Tensor> audio, IReadOnlyList<Tensor>? visual, IReadOnlyList<int> clipLabels, LabelSpace labels)
    {
        if (audio.Count == 0) throw new ArgumentException("AvefSegmentSet: no clips");
        if (clipLabels.Count != audio.Count || (visual is not null && visual.Count != audio.Count))
            throw new ArgumentException($"AvefSegmentSet: {audio.Count} audio clips, {visual?.Count} visual clips, {clipLabels.Count} labels");
        Labels = labels;
        _clipLabels = clipLabels.ToArray();
        _clipStart = new int[audio.Count + 1];
        for (int c = 0; c < audio.Count; c++)
        {
            int s = audio[c].Dim(0);
            if (s < 1) throw new ArgumentException($"AvefSegmentSet: clip {c} has no segments");
            if (visual is not null && visual[c].Dim(0) != s)
                throw new ShapeException($"AvefSegmentSet: clip {c} has {s} audio and {visual[c].Dim(0)} face segments");
            if (_clipLabels[c] < 0 || _clipLabels[c] >= labels.Count)
                throw new ArgumentOutOfRangeException(nameof(clipLabels), _clipLabels[c], $"AvefSegmentSet: label of clip {c} outside '{labels.Name}'");
            _clipStart[c + 1] = _clipStart[c] + s;
        }
        _segmentClip = new int[_clipStart[^1]];
        for (int c = 0; c < audio.Count; c++) _segmentClip.AsSpan(_clipStart[c], _clipStart[c + 1] - _clipStart[c]).Fill(c);
        Audio = Tensor.Concat(audio, 0);
        Visual = visual is null ? null : Tensor.Concat(visual, 0);
    }

    /// <summary>
    /// Computes every clip of <paramref name="items"/> through the pipelines (in parallel for audio; faces
    /// clip by clip, the detector being parallel itself). <paramref name="progress"/> receives (done, total).
    /// </summary>
    public static AvefSegmentSet Build(IReadOnlyList<CatalogItem> items, LabelSpace labels, AvefAudioPipeline audio, AvefVisualPipeline? visual = null,
        Action<int, int>? progress = null)
    {
        var clips = new AvefClipAudio[items.Count];
        int done = 0;
        Engine.For(items.Count, i =>
        {
            clips[i] = audio.Segments(items[i].Path);
            int d = Interlocked.Increment(ref done);
            if (visual is null) progress?.Invoke(d, items.Count);
        });
        Tensor[]? faces = null;
        if (visual is not null)
        {
            faces = new Tensor[items.Count];
            for (int i = 0; i < items.Count; i++)
            {
                faces[i] = visual.Segments(items[i].Path, clips[i].Times);
                progress?.Invoke(i + 1, items.Count);
            }
        }
        var set = new AvefSegmentSet(clips.Select(c => c.Stacks).ToArray(), faces, items.Select(i => i.Label.Index).ToArray(), labels)
        {
            SegmentsBeforeSelection = clips.Sum(c => c.TotalSegments),
        };
        return set;
    }

    /// <summary>All segments' audio [N, 3, H, W].</summary>
    public Tensor Audio { get; }

    /// <summary>All segments' faces [N, C, T, H, W], or null for audio only.</summary>
    public Tensor? Visual { get; }

    /// <summary>Segments the clips had before VAD selection (case 2); equal to <see cref="Count"/> in case 1.</summary>
    public int SegmentsBeforeSelection { get; init; }

    public LabelSpace Labels { get; }

    /// <summary>Number of segments (the examples).</summary>
    public int Count => _segmentClip.Length;

    /// <summary>Number of clips.</summary>
    public int ClipCount => _clipLabels.Length;

    /// <summary>The clip label of segment <paramref name="index"/>.</summary>
    public int LabelIndex(int index) => _clipLabels[_segmentClip[index]];

    /// <summary>The label of clip <paramref name="clip"/>.</summary>
    public int ClipLabel(int clip) => _clipLabels[clip];

    /// <summary>Segments of clip <paramref name="clip"/>.</summary>
    public int SegmentCount(int clip) => _clipStart[clip + 1] - _clipStart[clip];

    /// <summary>The segment indices of <paramref name="clips"/>, clip after clip, each clip's in time order.</summary>
    public int[] SegmentsOf(IReadOnlyList<int> clips)
    {
        var result = new List<int>();
        foreach (int c in clips)
        {
            if (c < 0 || c >= ClipCount) throw new ArgumentOutOfRangeException(nameof(clips), c, $"AvefSegmentSet has {ClipCount} clips");
            for (int s = _clipStart[c]; s < _clipStart[c + 1]; s++) result.Add(s);
        }
        return [.. result];
    }

    public IEnumerable<Batch<AvefSegments>> Batches(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle = null, RandomStream? augment = null)
    {
        BatchOrder.CheckIndices(indices, Count, nameof(AvefSegmentSet));
        foreach (var chunk in BatchOrder.Chunks(indices, batchSize, shuffle))
        {
            var targets = new int[chunk.Length];
            for (int i = 0; i < chunk.Length; i++) targets[i] = LabelIndex(chunk[i]);
            yield return new Batch<AvefSegments>(new AvefSegments(Audio.IndexSelect(0, chunk), Visual?.IndexSelect(0, chunk)), targets, chunk);
        }
    }
}
