using Aver.Tensors;
using Aver.Training.Data;

namespace Aver.Training.Tests.Data;

public sealed class BatchOrderTests
{
    [Theory]
    [InlineData(10, 4, new[] { 4, 4, 2 })]
    [InlineData(9, 4, new[] { 4, 5 })]   // a lone last example joins the batch before it
    [InlineData(8, 4, new[] { 4, 4 })]
    [InlineData(1, 4, new[] { 1 })]
    [InlineData(5, 5, new[] { 5 })]
    public void ChunksCoverEveryIndexOnceWithoutASingletonTail(int n, int batch, int[] sizes)
    {
        var chunks = BatchOrder.Chunks(Enumerable.Range(0, n).ToArray(), batch, new RandomStream(1)).ToList();
        Assert.Equal(sizes, chunks.Select(c => c.Length));
        Assert.Equal(sizes.Length, BatchOrder.Count(n, batch));
        Assert.Equal(Enumerable.Range(0, n), chunks.SelectMany(c => c).Order());
    }

    [Fact]
    public void TheSameShuffleStreamGivesTheSameOrder()
    {
        var a = BatchOrder.Chunks(Enumerable.Range(0, 20).ToArray(), 6, new RandomStream(3)).SelectMany(c => c).ToArray();
        var b = BatchOrder.Chunks(Enumerable.Range(0, 20).ToArray(), 6, new RandomStream(3)).SelectMany(c => c).ToArray();
        var unshuffled = BatchOrder.Chunks(Enumerable.Range(0, 20).ToArray(), 6, null).SelectMany(c => c).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, unshuffled);
        Assert.Equal(Enumerable.Range(0, 20), unshuffled);
    }

    [Fact]
    public void TensorExampleSetRejectsIndicesOutsideTheSet()
    {
        var set = GeneratedTasks.BrightSquares(8, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => set.Batches([0, 8], 4).ToList());
        Assert.Contains("example 8 outside [0, 8)", e.Message);
        Assert.Equal("top-left", set.LabelOf(0).Name);
    }
}
