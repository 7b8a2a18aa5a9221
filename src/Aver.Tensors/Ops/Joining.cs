namespace Aver.Tensors;

/// <summary>
/// Joining and splitting along one axis: <see cref="Concat"/>, <see cref="Stack"/>,
/// <see cref="Split(int[], int)"/>, <see cref="Chunk"/>. A tensor is seen as [outer, n, inner]
/// around the axis, so every copy is a run of n * inner contiguous floats.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Joins tensors along <paramref name="axis"/> (torch.cat). All shapes must agree except
    /// along the axis: [.., n_i, ..] -> [.., sum n_i, ..].
    /// </summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ShapeException("Concat: no tensors given");
        var first = tensors[0];
        int ax = ShapeMath.Axis(axis, first.Rank, "Concat");
        int total = 0;
        foreach (var t in tensors)
        {
            bool fits = t.Rank == first.Rank;
            for (int d = 0; fits && d < t.Rank; d++) fits = d == ax || t._shape[d] == first._shape[d];
            if (!fits) throw new ShapeException($"Concat: shapes {FormatShapes(tensors)} differ outside axis {axis}");
            total += t._shape[ax];
        }
        int outer = ShapeMath.Product(first._shape, 0, ax), inner = ShapeMath.Product(first._shape, ax + 1, first.Rank);
        var shape = (int[])first._shape.Clone();
        shape[ax] = total;
        var data = TensorMemory.Rent(ShapeMath.Size(shape));
        int rowOut = total * inner, offset = 0;
        foreach (var t in tensors)
        {
            int run = t._shape[ax] * inner;
            for (int o = 0; o < outer; o++) t.Data.AsSpan(o * run, run).CopyTo(data.AsSpan(o * rowOut + offset, run));
            offset += run;
        }
        var inputs = tensors.ToArray();
        return FromOp("Concat", data, shape, inputs, r =>
        {
            int off = 0;
            foreach (var t in inputs)
            {
                int run = t._shape[ax] * inner;
                if (t.RequiresGrad)
                {
                    var g = t.GradBuffer();
                    for (int o = 0; o < outer; o++)
                    {
                        var dst = g.AsSpan(o * run, run);
                        System.Numerics.Tensors.TensorPrimitives.Add(dst, r.Grad.AsSpan(o * rowOut + off, run), dst);
                    }
                }
                off += run;
            }
        });
    }

    /// <summary>Joins equally shaped tensors along a new axis (torch.stack): k x [..] -> [.., k, ..].</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ShapeException("Stack: no tensors given");
        var first = tensors[0];
        foreach (var t in tensors)
            if (!ShapeMath.SameShape(t._shape, first._shape))
                throw new ShapeException($"Stack: shapes {FormatShapes(tensors)} are not all equal");
        int ax = ShapeMath.Axis(axis, first.Rank + 1, "Stack");
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = tensors[i].Unsqueeze(ax);
        return Concat(parts, ax);
    }

    /// <summary>Splits along <paramref name="axis"/> into pieces of the given sizes, which must sum to the axis length (torch.split with a list).</summary>
    public Tensor[] Split(int[] sizes, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int ax = ShapeMath.Axis(axis, Rank, "Split");
        long sum = 0;
        foreach (int s in sizes) { if (s < 0) sum = long.MinValue; sum += s; }
        if (sum != _shape[ax])
            throw new ShapeException($"Split: sizes ({string.Join(", ", sizes)}) do not add up to dimension {axis} of {ShapeMath.Format(_shape)}");
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { parts[i] = Narrow(ax, start, sizes[i]); start += sizes[i]; }
        return parts;
    }

    /// <summary>Splits along <paramref name="axis"/> into pieces of <paramref name="size"/> (the last may be smaller), as torch.split with an int.</summary>
    public Tensor[] Split(int size, int axis = 0)
    {
        int ax = ShapeMath.Axis(axis, Rank, "Split");
        if (size <= 0) throw new ShapeException($"Split: piece size {size} must be positive (tensor {ShapeMath.Format(_shape)})");
        int n = _shape[ax], count = Math.Max(1, (n + size - 1) / size);
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = Math.Min(size, n - i * size);
        return Split(sizes, ax);
    }

    /// <summary>Splits into <paramref name="chunks"/> pieces of ceil(n / chunks) (torch.chunk; may return fewer pieces).</summary>
    public Tensor[] Chunk(int chunks, int axis = 0)
    {
        if (chunks <= 0) throw new ShapeException($"Chunk: chunk count {chunks} must be positive (tensor {ShapeMath.Format(_shape)})");
        int n = Dim(axis);
        return Split(Math.Max(1, (n + chunks - 1) / chunks), axis);
    }

    internal static string FormatShapes(IReadOnlyList<Tensor> tensors)
    {
        var parts = new string[tensors.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = ShapeMath.Format(tensors[i]._shape);
        return string.Join(", ", parts);
    }
}
