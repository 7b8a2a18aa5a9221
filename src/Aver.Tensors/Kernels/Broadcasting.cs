namespace Aver.Tensors.Kernels;

/// <summary>The one broadcasting loop behind every elementwise binary op, and the reduction that undoes it in backward.</summary>
public static class Broadcasting
{
    /// <summary>
    /// d = op(x, y) with NumPy broadcasting; <paramref name="dShape"/> is the broadcast shape.
    /// Works row by row along the last output dimension, so each row is one vectorised call.
    /// </summary>
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<int> xShape, ReadOnlySpan<float> y, ReadOnlySpan<int> yShape,
        Span<float> d, ReadOnlySpan<int> dShape) where TOp : IBinaryOperator
    {
        if (x.Length == d.Length && y.Length == d.Length) { TOp.Invoke(x, y, d); return; }
        if (y.Length == 1 && x.Length == d.Length) { TOp.Invoke(x, y[0], d); return; }
        if (x.Length == 1 && y.Length == d.Length) { TOp.Invoke(x[0], y, d); return; }

        int rank = dShape.Length;
        if (rank == 0) { TOp.Invoke(x, y, d); return; }
        Span<int> xs = stackalloc int[rank], ys = stackalloc int[rank];
        BroadcastStrides(xShape, dShape, xs);
        BroadcastStrides(yShape, dShape, ys);
        int row = dShape[rank - 1];
        int rows = d.Length / Math.Max(row, 1);
        Span<int> index = stackalloc int[rank];
        int xo = 0, yo = 0;
        for (int r = 0; r < rows; r++)
        {
            var dr = d.Slice(r * row, row);
            bool xFull = xs[rank - 1] != 0, yFull = ys[rank - 1] != 0;
            if (xFull && yFull) TOp.Invoke(x.Slice(xo, row), y.Slice(yo, row), dr);
            else if (xFull) TOp.Invoke(x.Slice(xo, row), y[yo], dr);
            else if (yFull) TOp.Invoke(x[xo], y.Slice(yo, row), dr);
            else { dr.Clear(); TOp.Invoke(x[xo], y.Slice(yo, 1), dr.Slice(0, 1)); dr.Fill(dr[0]); }
            // advance the odometer over the leading dimensions
            for (int a = rank - 2; a >= 0; a--)
            {
                index[a]++; xo += xs[a]; yo += ys[a];
                if (index[a] < dShape[a]) break;
                xo -= xs[a] * dShape[a]; yo -= ys[a] * dShape[a]; index[a] = 0;
            }
        }
    }

    /// <summary>Strides of <paramref name="shape"/> read as <paramref name="target"/>: 0 along broadcast axes.</summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> target, Span<int> strides)
    {
        int rank = target.Length, offset = rank - shape.Length, s = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int dim = i < offset ? 1 : shape[i - offset];
            strides[i] = dim == 1 ? 0 : s;
            s *= dim;
        }
    }

    /// <summary>Sums <paramref name="g"/> (of <paramref name="gShape"/>) down to <paramref name="shape"/>, adding into <paramref name="dest"/>.</summary>
    public static void SumTo(ReadOnlySpan<float> g, ReadOnlySpan<int> gShape, Span<float> dest, ReadOnlySpan<int> shape)
    {
        if (g.Length == dest.Length) { System.Numerics.Tensors.TensorPrimitives.Add(dest, g, dest); return; }
        if (dest.Length == 1) { dest[0] += System.Numerics.Tensors.TensorPrimitives.Sum(g); return; }
        int rank = gShape.Length;
        Span<int> ds = stackalloc int[rank];
        BroadcastStrides(shape, gShape, ds);
        int row = gShape[rank - 1];
        int rows = g.Length / Math.Max(row, 1);
        Span<int> index = stackalloc int[rank];
        int o = 0;
        bool full = ds[rank - 1] != 0;
        for (int r = 0; r < rows; r++)
        {
            var gr = g.Slice(r * row, row);
            if (full) System.Numerics.Tensors.TensorPrimitives.Add(dest.Slice(o, row), gr, dest.Slice(o, row));
            else dest[o] += System.Numerics.Tensors.TensorPrimitives.Sum(gr);
            for (int a = rank - 2; a >= 0; a--)
            {
                index[a]++; o += ds[a];
                if (index[a] < gShape[a]) break;
                o -= ds[a] * gShape[a]; index[a] = 0;
            }
        }
    }
}
