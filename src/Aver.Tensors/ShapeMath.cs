namespace Aver.Tensors;

/// <summary>Shape arithmetic shared by every op: sizes, strides, axes, broadcasting.</summary>
public static class ShapeMath
{
    public static int Size(ReadOnlySpan<int> shape)
    {
        long s = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ShapeException($"negative dimension in shape {Format(shape)}");
            s *= d;
        }
        if (s > Array.MaxLength) throw new ShapeException($"shape {Format(shape)} has {s} elements, more than an array holds");
        return (int)s;
    }

    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var st = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
        return st;
    }

    /// <summary>Product of dimensions in [from, to).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /// <summary>Normalises a possibly negative axis, naming the op when it is out of range.</summary>
    public static int Axis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeException($"{op}: axis {axis} is out of range for rank {rank}");
        return a;
    }

    public static int Offset(ReadOnlySpan<int> shape, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length) throw new ShapeException($"index of rank {index.Length} into shape {Format(shape)}");
        int off = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i]) throw new ArgumentOutOfRangeException(nameof(index), $"index {index[i]} out of range for dimension {i} of shape {Format(shape)}");
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /// <summary>NumPy broadcasting of two shapes, or a <see cref="ShapeException"/> naming <paramref name="op"/> and both shapes.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return "[]";
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString();
        return "[" + string.Join(", ", parts) + "]";
    }
}
