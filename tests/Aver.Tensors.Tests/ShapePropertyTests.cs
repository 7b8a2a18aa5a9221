using CsCheck;
using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests;

/// <summary>
/// Property-based tests (CsCheck): broadcasting and shape ops on random shapes (rank 0-4, sides 1-4) against
/// naive index-by-index references. A failure is shrunk to the smallest shape that shows it.
/// </summary>
public class ShapePropertyTests
{
    private const int Iterations = 300;

    private static readonly Gen<int[]> Shape = Gen.Int[1, 4].Array[0, 4];

    /// <summary>Two shapes that broadcast: b is a suffix of a's rank with some sides set to 1, and either may be the longer.</summary>
    private static readonly Gen<(int[] A, int[] B)> BroadcastPair =
        Gen.Select(Shape, Gen.Int[0, 4], Gen.Int[0, 15], Gen.Bool)
            .Select(t =>
            {
                var (full, drop, ones, swap) = t;
                int keep = Math.Max(0, full.Length - Math.Min(drop, full.Length));
                var b = full[(full.Length - keep)..];
                for (int i = 0; i < b.Length; i++) if ((ones >> i & 1) == 1) b[i] = 1;
                return swap ? (b, full) : (full, b);
            });

    private static Tensor Random(int[] shape, ulong seed)
    {
        var rng = new RandomStream(seed);
        var t = new Tensor(shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = (float)(rng.NextDouble() * 4 - 2);
        return t;
    }

    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order.</summary>
    private static IEnumerable<int[]> Indices(int[] shape)
    {
        var idx = new int[shape.Length];
        int n = ShapeMath.Size(shape);
        for (int k = 0; k < n; k++)
        {
            yield return (int[])idx.Clone();
            for (int d = shape.Length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>The element of <paramref name="t"/> that output index <paramref name="outIndex"/> reads under NumPy broadcasting.</summary>
    private static float At(Tensor t, int[] outIndex)
    {
        int lead = outIndex.Length - t.Rank, offset = 0;
        var strides = ShapeMath.Strides(t.Shape);
        for (int d = 0; d < t.Rank; d++) offset += (t.Shape[d] == 1 ? 0 : outIndex[lead + d]) * strides[d];
        return t.Data[offset];
    }

    private static int[] NaiveBroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var s = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1, y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            s[i] = Math.Max(x, y);
        }
        return s;
    }

    /// <summary>Runs <paramref name="check"/> on random broadcasting pairs: shapes a and b, their broadcast shape, a seed.</summary>
    private static void ForBroadcastPairs(Action<int[], int[], int[], ulong> check) =>
        Gen.Select(BroadcastPair, Gen.ULong).Sample(t => check(t.Item1.A, t.Item1.B, NaiveBroadcastShape(t.Item1.A, t.Item1.B), t.Item2), iter: Iterations);

    [Fact]
    public void ElementwiseOpsBroadcastLikeTheNaiveReference()
    {
        ForBroadcastPairs((sa, sb, shape, seed) =>
        {
            Tensor a = Random(sa, seed), b = Random(sb, seed + 1);
            Assert.Equal(shape, ShapeMath.Broadcast(sa, sb, "test"));
            foreach (var (op, f) in new (Func<Tensor, Tensor, Tensor>, Func<float, float, float>)[]
                     { ((x, y) => x + y, (x, y) => x + y), ((x, y) => x - y, (x, y) => x - y), ((x, y) => x * y, (x, y) => x * y), ((x, y) => x.Maximum(y), MathF.Max) })
            {
                var r = op(a, b);
                Assert.Equal(shape, r.Shape.ToArray());
                int k = 0;
                foreach (var idx in Indices(shape)) Assert.Equal(f(At(a, idx), At(b, idx)), r.Data[k++]);
            }
        });
    }

    [Fact]
    public void SumToUndoesBroadcastingByAddingEveryCopy()
    {
        ForBroadcastPairs((_, sb, shape, seed) =>
        {
            var g = Random(shape, seed);
            var dest = new float[ShapeMath.Size(sb)];
            Broadcasting.SumTo(g.Data, shape, dest, sb);
            var expected = new float[dest.Length];
            var strides = ShapeMath.Strides(sb);
            int k = 0, lead = shape.Length - sb.Length;
            foreach (var idx in Indices(shape))
            {
                int offset = 0;
                for (int d = 0; d < sb.Length; d++) offset += (sb[d] == 1 ? 0 : idx[lead + d]) * strides[d];
                expected[offset] += g.Data[k++];
            }
            Fixture.AssertClose(expected, dest, $"SumTo {ShapeMath.Format(shape)} -> {ShapeMath.Format(sb)}", rtol: 1e-5f, atol: 1e-5f);
        });
    }

    [Fact]
    public void ExpandCopiesLikeTheNaiveReference()
    {
        ForBroadcastPairs((_, sb, shape, seed) =>
        {
            var x = Random(sb, seed);
            var r = x.Expand(shape);
            int k = 0;
            foreach (var idx in Indices(shape)) Assert.Equal(At(x, idx), r.Data[k++]);
        });
    }

    [Fact]
    public void PermuteMovesEachElementToItsPermutedIndex()
    {
        Gen.Select(Shape, Gen.ULong).Sample(t =>
        {
            var (shape, seed) = t;
            var rng = new RandomStream(seed);
            var perm = Enumerable.Range(0, shape.Length).OrderBy(_ => rng.NextDouble()).ToArray();
            var x = Random(shape, seed);
            var r = x.Permute(perm);
            Assert.Equal(perm.Select(p => shape[p]).ToArray(), r.Shape.ToArray());
            int k = 0;
            foreach (var idx in Indices(r.Shape.ToArray()))
            {
                var src = new int[shape.Length];
                for (int d = 0; d < perm.Length; d++) src[perm[d]] = idx[d];
                Assert.Equal(x.Data[ShapeMath.Offset(shape, src)], r.Data[k++]);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SumOverAnAxisMatchesTheNaiveReference()
    {
        Gen.Select(Shape.Where(s => s.Length > 0), Gen.Int[0, 3], Gen.Bool, Gen.ULong).Sample(t =>
        {
            var (shape, axisSeed, keepDim, seed) = t;
            int axis = axisSeed % shape.Length;
            var x = Random(shape, seed);
            var r = x.Sum(axis, keepDim);
            var kept = (int[])shape.Clone();
            kept[axis] = 1;
            Assert.Equal(keepDim ? kept : shape.Where((_, d) => d != axis).ToArray(), r.Shape.ToArray());
            var expected = new float[ShapeMath.Size(kept)];
            int k = 0;
            foreach (var idx in Indices(shape))
            {
                idx[axis] = 0;
                expected[ShapeMath.Offset(kept, idx)] += x.Data[k++];
            }
            Fixture.AssertClose(expected, r.Data, $"Sum({axis}) of {ShapeMath.Format(shape)}", rtol: 1e-5f, atol: 1e-5f);
        }, iter: Iterations);
    }

    [Fact]
    public void ReshapeKeepsRowMajorOrderAndRefusesAnotherSize()
    {
        Gen.Select(Shape, Shape, Gen.ULong).Sample(t =>
        {
            var (a, b, seed) = t;
            var x = Random(a, seed);
            if (ShapeMath.Size(a) == ShapeMath.Size(b)) Assert.Equal(x.Data, x.Reshape(b).Data);
            else Assert.Throws<ShapeException>(() => x.Reshape(b));
        }, iter: Iterations);
    }
}
