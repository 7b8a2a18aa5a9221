namespace Aver.Tensors;

/// <summary>Reshape, permute and transpose. Each returns a new contiguous tensor.</summary>
public sealed partial class Tensor
{
    /// <summary>The same elements under a new shape; one dimension may be -1 and is inferred.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (infer >= 0) throw new ShapeException($"Reshape: more than one -1 in {ShapeMath.Format(shape)}");
                infer = i;
            }
            else known *= s[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw new ShapeException($"Reshape: cannot reshape {ShapeMath.Format(_shape)} into {ShapeMath.Format(shape)}");
            s[infer] = Size / known;
        }
        if (ShapeMath.Size(s) != Size)
            throw new ShapeException($"Reshape: cannot reshape {ShapeMath.Format(_shape)} ({Size} elements) into {ShapeMath.Format(shape)}");
        var a = this;
        // Data is shared: a reshape never writes, and gradients are accumulated separately.
        return FromOp("Reshape", Data, s, [a], o => a.AccumulateGrad(o.Grad));
    }

    /// <summary>Flattens dimensions from <paramref name="startDim"/> on into one.</summary>
    public Tensor Flatten(int startDim = 1)
    {
        int sd = ShapeMath.Axis(startDim, Rank, "Flatten");
        var s = new int[sd + 1];
        for (int i = 0; i < sd; i++) s[i] = _shape[i];
        s[sd] = ShapeMath.Product(_shape, sd, Rank);
        return Reshape(s);
    }

    /// <summary>Reorders dimensions: output dimension i is input dimension <paramref name="dims"/>[i].</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank) throw new ShapeException($"Permute: {dims.Length} dims given for a tensor of rank {Rank}");
        var perm = new int[Rank];
        var seen = new bool[Rank];
        for (int i = 0; i < Rank; i++)
        {
            perm[i] = ShapeMath.Axis(dims[i], Rank, "Permute");
            if (seen[perm[i]]) throw new ShapeException($"Permute: dimension {perm[i]} repeated in ({string.Join(", ", dims)})");
            seen[perm[i]] = true;
        }
        var outShape = new int[Rank];
        for (int i = 0; i < Rank; i++) outShape[i] = _shape[perm[i]];
        var data = TensorMemory.Rent(Size);
        PermuteKernel(Data, _shape, perm, data, inverse: false);
        var a = this;
        return FromOp("Permute", data, outShape, [a], o =>
        {
            var g = TensorMemory.Rent(o.Size);
            PermuteKernel(o.Grad, a._shape, perm, g, inverse: true);
            a.AccumulateGrad(g);
        });
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var dims = new int[Rank];
        for (int i = 0; i < Rank; i++) dims[i] = i;
        int a = ShapeMath.Axis(dim0, Rank, "Transpose"), b = ShapeMath.Axis(dim1, Rank, "Transpose");
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return Permute(dims);
    }

    /// <summary>
    /// Copies between the layout of <paramref name="inShape"/> and its permutation. Forward
    /// (inverse = false): src is in input layout, dst in permuted layout; inverse: the reverse.
    /// </summary>
    private static void PermuteKernel(ReadOnlySpan<float> src, int[] inShape, int[] perm, Span<float> dst, bool inverse)
    {
        int rank = inShape.Length;
        var inStrides = ShapeMath.Strides(inShape);
        var outShape = new int[rank];
        var srcStride = new int[rank]; // stride in the input layout for each permuted (output) axis
        for (int i = 0; i < rank; i++) { outShape[i] = inShape[perm[i]]; srcStride[i] = inStrides[perm[i]]; }
        var index = new int[rank];
        int inOff = 0, n = src.Length;
        int last = rank - 1;
        int lastLen = rank == 0 ? 1 : outShape[last], lastStride = rank == 0 ? 0 : srcStride[last];
        for (int outOff = 0; outOff < n; outOff += lastLen)
        {
            if (!inverse) for (int j = 0; j < lastLen; j++) dst[outOff + j] = src[inOff + j * lastStride];
            else for (int j = 0; j < lastLen; j++) dst[inOff + j * lastStride] = src[outOff + j];
            for (int a = last - 1; a >= 0; a--)
            {
                index[a]++; inOff += srcStride[a];
                if (index[a] < outShape[a]) break;
                inOff -= srcStride[a] * outShape[a]; index[a] = 0;
            }
        }
    }
}
