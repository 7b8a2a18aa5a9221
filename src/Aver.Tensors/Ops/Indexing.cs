using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>
/// Selecting parts of a tensor: <see cref="Narrow"/>/<see cref="Slice"/> (a contiguous range),
/// <see cref="IndexSelect(int, ReadOnlySpan{int})"/> (whole slices by index) and <see cref="Gather(int, Tensor)"/>
/// (one element per index, torch.gather). Backward scatters (adds) the gradient back.
/// </summary>
/// <remarks>
/// Indices are given either as <c>int[]</c> or as a tensor holding integral float values (what
/// <see cref="Argmax"/> and label tensors are); a non-integral or out-of-range index throws.
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>Elements [start, start + length) along <paramref name="axis"/> (torch.narrow): [.., n, ..] -> [.., length, ..].</summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int ax = ShapeMath.Axis(axis, Rank, "Narrow");
        int n = _shape[ax];
        if (start < 0 || length < 0 || start + length > n)
            throw new ShapeException($"Narrow: range [{start}, {start + length}) is outside dimension {axis} (size {n}) of {ShapeMath.Format(_shape)}");
        int outer = ShapeMath.Product(_shape, 0, ax), inner = ShapeMath.Product(_shape, ax + 1, Rank);
        var shape = (int[])_shape.Clone();
        shape[ax] = length;
        int run = length * inner, rowIn = n * inner, skip = start * inner;
        var data = TensorMemory.Rent(outer * run);
        for (int o = 0; o < outer; o++) Data.AsSpan(o * rowIn + skip, run).CopyTo(data.AsSpan(o * run, run));
        var a = this;
        return FromOp("Narrow", data, shape, [a], r =>
        {
            var g = a.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                var dst = g.AsSpan(o * rowIn + skip, run);
                TensorPrimitives.Add(dst, r.Grad.AsSpan(o * run, run), dst);
            }
        });
    }

    /// <summary>
    /// Elements [start, end) along <paramref name="axis"/>, like Python's <c>x[start:end]</c>:
    /// negative bounds count from the end and bounds beyond the axis are clamped.
    /// </summary>
    public Tensor Slice(int axis, int start, int end)
    {
        int n = Dim(axis);
        int s = Math.Clamp(start < 0 ? start + n : start, 0, n);
        int e = Math.Clamp(end < 0 ? end + n : end, 0, n);
        return Narrow(axis, s, Math.Max(0, e - s));
    }

    /// <summary>
    /// Whole slices at <paramref name="indices"/> along <paramref name="axis"/> (torch.index_select):
    /// [.., n, ..] -> [.., indices.Length, ..]. Indices may repeat (their gradients add).
    /// </summary>
    public Tensor IndexSelect(int axis, ReadOnlySpan<int> indices)
    {
        int ax = ShapeMath.Axis(axis, Rank, "IndexSelect");
        int n = _shape[ax];
        var idx = indices.ToArray();
        foreach (int i in idx)
            if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(indices), $"IndexSelect: index {i} is out of range for dimension {axis} (size {n}) of {ShapeMath.Format(_shape)}");
        int outer = ShapeMath.Product(_shape, 0, ax), inner = ShapeMath.Product(_shape, ax + 1, Rank);
        var shape = (int[])_shape.Clone();
        shape[ax] = idx.Length;
        int k = idx.Length;
        var data = TensorMemory.Rent(outer * k * inner);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < k; j++)
                Data.AsSpan((o * n + idx[j]) * inner, inner).CopyTo(data.AsSpan((o * k + j) * inner, inner));
        var a = this;
        return FromOp("IndexSelect", data, shape, [a], r =>
        {
            var g = a.GradBuffer();
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < k; j++)
                {
                    var dst = g.AsSpan((o * n + idx[j]) * inner, inner);
                    TensorPrimitives.Add(dst, r.Grad.AsSpan((o * k + j) * inner, inner), dst);
                }
        });
    }

    /// <summary>IndexSelect with indices held as integral floats in a tensor of any shape (read flat).</summary>
    public Tensor IndexSelect(int axis, Tensor indices) => IndexSelect(axis, indices.ToIndices("IndexSelect"));

    /// <summary>
    /// torch.gather: out[i][j][k] = this[i][index[i][j][k]][k] for axis 1 (likewise for any axis).
    /// <paramref name="index"/> holds integral floats, has this tensor's rank, and is no larger
    /// than this tensor along every other axis; the output has the index's shape.
    /// </summary>
    public Tensor Gather(int axis, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Gather(axis, index.ToIndices("Gather"), index._shape);
    }

    /// <summary>torch.gather with the indices given as a flat row-major int array of shape <paramref name="indexShape"/>.</summary>
    public Tensor Gather(int axis, int[] index, int[] indexShape)
    {
        int ax = ShapeMath.Axis(axis, Rank, "Gather");
        bool fits = indexShape.Length == Rank && ShapeMath.Size(indexShape) == index.Length;
        for (int d = 0; fits && d < Rank; d++) fits = d == ax || indexShape[d] <= _shape[d];
        if (!fits)
            throw new ShapeException($"Gather: index of shape {ShapeMath.Format(indexShape)} does not fit {ShapeMath.Format(_shape)} along axis {axis}");
        int n = _shape[ax];
        foreach (int i in index)
            if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(index), $"Gather: index {i} is out of range for dimension {axis} (size {n}) of {ShapeMath.Format(_shape)}");
        var srcOffsets = GatherOffsets(_shape, ax, index, indexShape);
        var data = TensorMemory.Rent(index.Length);
        for (int i = 0; i < data.Length; i++) data[i] = Data[srcOffsets[i]];
        var a = this;
        return FromOp("Gather", data, (int[])indexShape.Clone(), [a], r =>
        {
            var g = a.GradBuffer();
            for (int i = 0; i < srcOffsets.Length; i++) g[srcOffsets[i]] += r.Grad![i];
        });
    }

    /// <summary>For every index element, the flat offset in the source it reads.</summary>
    private static int[] GatherOffsets(int[] shape, int ax, int[] index, int[] indexShape)
    {
        int rank = shape.Length;
        var strides = ShapeMath.Strides(shape);
        var offsets = new int[index.Length];
        Span<int> pos = stackalloc int[rank];
        int baseOff = 0; // offset of pos with the gather axis at 0
        for (int i = 0; i < index.Length; i++)
        {
            offsets[i] = baseOff + index[i] * strides[ax];
            for (int d = rank - 1; d >= 0; d--)
            {
                pos[d]++;
                if (d != ax) baseOff += strides[d];
                if (pos[d] < indexShape[d]) break;
                if (d != ax) baseOff -= strides[d] * indexShape[d];
                pos[d] = 0;
            }
        }
        return offsets;
    }

    /// <summary>The elements as integers; throws naming <paramref name="op"/> when one is not integral.</summary>
    public int[] ToIndices(string op = "ToIndices")
    {
        var r = new int[Size];
        for (int i = 0; i < r.Length; i++)
        {
            float v = Data[i];
            if (v != MathF.Round(v) || float.IsNaN(v))
                throw new ArgumentException($"{op}: index tensor {ShapeMath.Format(_shape)} holds non-integral value {v} at element {i}");
            r[i] = (int)v;
        }
        return r;
    }

    /// <summary>A float tensor holding integer indices (for labels and <see cref="Gather(int, Tensor)"/>); shape [n] when none is given.</summary>
    public static Tensor FromIndices(ReadOnlySpan<int> indices, params int[] shape)
    {
        var data = new float[indices.Length];
        for (int i = 0; i < data.Length; i++) data[i] = indices[i];
        return new Tensor(data, shape.Length == 0 ? [indices.Length] : shape);
    }
}
