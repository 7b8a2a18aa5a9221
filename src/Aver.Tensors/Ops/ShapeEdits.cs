using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>Adding and removing unit axes, broadcasting to a larger shape, constant padding.</summary>
public sealed partial class Tensor
{
    /// <summary>Inserts an axis of size 1 at <paramref name="axis"/> (in the output's numbering, -1 appends).</summary>
    public Tensor Unsqueeze(int axis)
    {
        int ax = ShapeMath.Axis(axis, Rank + 1, "Unsqueeze");
        var s = new int[Rank + 1];
        for (int i = 0, j = 0; i < s.Length; i++) s[i] = i == ax ? 1 : _shape[j++];
        return Reshape(s);
    }

    /// <summary>Removes axis <paramref name="axis"/>, which must have size 1 (unlike PyTorch, a larger axis is an error, not a no-op).</summary>
    public Tensor Squeeze(int axis)
    {
        int ax = ShapeMath.Axis(axis, Rank, "Squeeze");
        if (_shape[ax] != 1) throw new ShapeException($"Squeeze: dimension {axis} of {ShapeMath.Format(_shape)} is not 1");
        return Reshape(ReducedShape(ax, keepDim: false));
    }

    /// <summary>Removes every axis of size 1.</summary>
    public Tensor Squeeze()
    {
        var s = new List<int>(Rank);
        foreach (int d in _shape) if (d != 1) s.Add(d);
        return Reshape(s.ToArray());
    }

    /// <summary>
    /// Repeats size-1 axes (and prepends axes) to reach <paramref name="shape"/>, as torch.expand,
    /// but copying; -1 keeps a dimension. Backward sums over the repeated axes.
    /// </summary>
    public Tensor Expand(params int[] shape)
    {
        if (shape.Length < Rank) throw new ShapeException($"Expand: cannot expand {ShapeMath.Format(_shape)} to fewer dimensions {ShapeMath.Format(shape)}");
        var target = (int[])shape.Clone();
        int lead = target.Length - Rank;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] != -1) continue;
            if (i < lead) throw new ShapeException($"Expand: -1 is not allowed for the new leading dimension {i} in {ShapeMath.Format(shape)}");
            target[i] = _shape[i - lead];
        }
        for (int i = lead; i < target.Length; i++)
            if (_shape[i - lead] != 1 && _shape[i - lead] != target[i])
                throw new ShapeException($"Expand: {ShapeMath.Format(_shape)} cannot be expanded to {ShapeMath.Format(shape)}");
        if (ShapeMath.SameShape(target, _shape)) return Reshape(target);
        var data = TensorMemory.Rent(ShapeMath.Size(target));
        Broadcasting.Apply<AddOperator>(Data, _shape, [0f], [], data, target);
        var a = this;
        return FromOp("Expand", data, target, [a], r => AccumulateBroadcastGrad(a, r.Grad, r));
    }

    /// <summary>Same as <see cref="Expand"/> (NumPy's name).</summary>
    public Tensor BroadcastTo(params int[] shape) => Expand(shape);

    /// <summary>
    /// Constant padding in F.pad's order: <paramref name="pads"/> = (before, after) pairs starting
    /// from the LAST axis, e.g. (left, right, top, bottom) for [N, C, H, W]. Pads must be &gt;= 0.
    /// </summary>
    public Tensor Pad(int[] pads, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(pads);
        if (pads.Length % 2 != 0 || pads.Length / 2 > Rank)
            throw new ShapeException($"Pad: {pads.Length} pad values do not fit {ShapeMath.Format(_shape)} (need pairs, at most {2 * Rank})");
        var before = new int[Rank];
        var shape = (int[])_shape.Clone();
        for (int p = 0; p < pads.Length / 2; p++)
        {
            int d = Rank - 1 - p;
            if (pads[2 * p] < 0 || pads[2 * p + 1] < 0) throw new ShapeException($"Pad: negative padding ({string.Join(", ", pads)}) for {ShapeMath.Format(_shape)}");
            before[d] = pads[2 * p];
            shape[d] += pads[2 * p] + pads[2 * p + 1];
        }
        var data = new float[ShapeMath.Size(shape)];
        if (value != 0f) Array.Fill(data, value);
        CopyRegion(Data, _shape, data, shape, before, intoLarger: true);
        var a = this;
        return FromOp("Pad", data, shape, [a], r =>
        {
            var g = TensorMemory.Rent(a.Size);
            CopyRegion(g, a._shape, r.Grad, shape, before, intoLarger: false);
            a.AccumulateGrad(g);
        });
    }

    /// <summary>
    /// Moves the small tensor (shape <paramref name="small"/>) to or from the block of the large
    /// one (shape <paramref name="large"/>) that starts at <paramref name="offset"/>, one
    /// contiguous last-axis run at a time.
    /// </summary>
    private static void CopyRegion(Span<float> smallData, int[] small, Span<float> largeData, int[] large, int[] offset, bool intoLarger)
    {
        int rank = small.Length;
        if (smallData.Length == 0) return;
        if (rank == 0) { if (intoLarger) largeData[0] = smallData[0]; else smallData[0] = largeData[0]; return; }
        var ls = ShapeMath.Strides(large);
        int run = small[rank - 1];
        int lo = 0;
        for (int d = 0; d < rank; d++) lo += offset[d] * ls[d];
        Span<int> pos = stackalloc int[rank];
        for (int so = 0; so < smallData.Length; so += run)
        {
            if (intoLarger) smallData.Slice(so, run).CopyTo(largeData.Slice(lo, run));
            else largeData.Slice(lo, run).CopyTo(smallData.Slice(so, run));
            for (int d = rank - 2; d >= 0; d--)
            {
                pos[d]++; lo += ls[d];
                if (pos[d] < small[d]) break;
                lo -= ls[d] * small[d]; pos[d] = 0;
            }
        }
    }
}
