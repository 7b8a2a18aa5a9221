using Aver.Data.Catalogs;
using Aver.Data.Pipelines;
using Aver.Tensors;

namespace Aver.Data.Tests.Pipelines;

public class PipelineTests
{
    [Fact]
    public void PadStacksSequencesAndKeepsLengths()
    {
        var a = Tensor.Full(1f, 3, 2);
        var b = Tensor.Full(2f, 1, 2);
        var batch = SequenceBatch.Pad([a, b]);
        Assert.Equal([2, 3, 2], batch.Steps.Shape.ToArray());
        Assert.Equal([3, 1], batch.Lengths);
        Assert.Equal(2f, batch.Steps[1, 0, 1]);
        Assert.Equal(0f, batch.Steps[1, 1, 0]);
        Assert.Throws<ShapeException>(() => SequenceBatch.Pad([a, Tensor.Zeros(2, 3)]));
    }

    [FactRequires(Need.SharedData)]
    public void RavdessClipGivesPooledSegmentsAndAugmentedSlicesAreReproducible()
    {
        var cat = DatasetReader.Open(TestPaths.Data("ravdess", "speech16k", "Actor_01"));
        var item = cat.Items[0];
        var pipeline = new MrpnAudioPipeline(pool: 2);
        var whole = pipeline.Segments(item);
        Assert.Equal([1, 128, 125], whole.Spectrograms.Shape[1..].ToArray());
        // ~3.5 s clips: 1-s segments every 0.2 s
        Assert.InRange(whole.Count, 10, 16);
        var s1 = pipeline.Segments(item, new RandomStream(5));
        var s2 = pipeline.Segments(item, new RandomStream(5));
        Assert.Equal(s1.Times, s2.Times);
        Assert.Equal(s1.Spectrograms.Data, s2.Spectrograms.Data);
        Assert.True(s1.Count <= whole.Count);
    }
}

public class PipelineCacheTests
{
    [FactRequires(Need.SharedData)]
    public void WholeClipSegmentsAreComputedOnceWithinTheBudgetAndRecomputedBeyondIt()
    {
        var item = DatasetReader.Open(TestPaths.Data("ravdess", "speech16k", "Actor_01")).Items[0];
        var cached = new MrpnAudioPipeline(pool: 4);
        Assert.Same(cached.Segments(item).Spectrograms, cached.Segments(item).Spectrograms);
        Assert.NotSame(cached.Segments(item, new RandomStream(1)).Spectrograms, cached.Segments(item, new RandomStream(1)).Spectrograms);

        var uncached = new MrpnAudioPipeline(pool: 4, segmentCacheBytes: 0);
        var a = uncached.Segments(item);
        var b = uncached.Segments(item);
        Assert.NotSame(a.Spectrograms, b.Spectrograms);
        Assert.Equal(a.Spectrograms.Data, b.Spectrograms.Data);
        Assert.Equal(a.Spectrograms.Data, cached.Segments(item).Spectrograms.Data);
    }
}
