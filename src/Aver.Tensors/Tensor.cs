using System.Runtime.CompilerServices;
using System.Text;

namespace Aver.Tensors;

/// <summary>
/// A dense, contiguous, row-major float32 tensor that records the operations applied to it
/// so that <see cref="Backward"/> can compute gradients (define-by-run, reverse mode).
/// </summary>
/// <remarks>
/// Storage is a managed array owned by the tensor; views are not shared, so every op that
/// changes layout (permute, slice, concat) copies. That keeps every kernel contiguous and
/// simple, and the copies are cheap next to the matrix products that dominate training.
/// </remarks>
public sealed partial class Tensor
{
    private readonly int[] _shape;

    /// <summary>The elements, row-major. Its length equals <see cref="Size"/>.</summary>
    public float[] Data { get; }

    /// <summary>The gradient of the last <see cref="Backward"/> call, or null before one reached this tensor.</summary>
    public float[]? Grad { get; internal set; }

    /// <summary>Whether gradients flow into this tensor. Set to false to freeze a parameter.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>An optional name used in error messages and state dictionaries.</summary>
    public string? Name { get; set; }

    // Autograd record: the inputs of the op that produced this tensor and how to push
    // this tensor's gradient back into them. Null for leaves.
    internal Tensor[]? Parents;
    internal Action<Tensor>? BackwardFn;
    internal string? OpName;
    // Set by TensorMemory.Release under grad mode: backprop recycles this op result's storage once its own closure has run.
    internal bool RecycleAfterBackward;

    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        _shape = (int[])shape.Clone();
        long size = ShapeMath.Size(_shape);
        if (size != data.Length)
            throw new ShapeException($"Tensor: {data.Length} elements cannot have shape {ShapeMath.Format(shape)} ({size} elements)");
        Data = data;
    }

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape) : this(new float[ShapeMath.Size(shape)], shape) { }

    public ReadOnlySpan<int> Shape => _shape;
    internal int[] ShapeArray => _shape;
    public int Rank => _shape.Length;
    public int Size => Data.Length;
    public bool IsLeaf => BackwardFn is null;
    public Span<float> Span => Data;

    /// <summary>The size of dimension <paramref name="dim"/>; negative counts from the end.</summary>
    public int Dim(int dim) => _shape[ShapeMath.Axis(dim, Rank, "Dim")];

    [IndexerName("At")]
    public float this[params int[] index]
    {
        get => Data[ShapeMath.Offset(_shape, index)];
        set => Data[ShapeMath.Offset(_shape, index)] = value;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new ShapeException($"Item: tensor of shape {ShapeMath.Format(_shape)} has {Size} elements, not 1");
        return Data[0];
    }

    // ---- factories ----
    public static Tensor Zeros(params int[] shape) => new(shape);
    public static Tensor Ones(params int[] shape) => Full(1f, shape);
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        Array.Fill(t.Data, value);
        return t;
    }
    public static Tensor Scalar(float value) => new(new[] { value });
    public static Tensor FromArray(float[] data, params int[] shape) => new(data, shape);
    public static Tensor Arange(int count)
    {
        var t = new Tensor(count);
        for (int i = 0; i < count; i++) t.Data[i] = i;
        return t;
    }
    /// <summary>Uniform values in [low, high) drawn from <paramref name="rng"/>.</summary>
    public static Tensor Uniform(RandomStream rng, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillUniform(t.Data, low, high);
        return t;
    }
    /// <summary>Normal values with the given mean and standard deviation drawn from <paramref name="rng"/>.</summary>
    public static Tensor Normal(RandomStream rng, float mean, float std, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillNormal(t.Data, mean, std);
        return t;
    }
    public static Tensor ZerosLike(Tensor t) => new(t._shape);

    /// <summary>A new leaf tensor with a copy of the data and no autograd history.</summary>
    public Tensor Detach() => new((float[])Data.Clone(), _shape) { Name = Name };

    /// <summary>Marks this tensor as a leaf that receives gradients and returns it (fluent).</summary>
    public Tensor RequireGrad(bool requires = true) { RequiresGrad = requires; return this; }

    /// <summary>Sets the gradient back to null.</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>Adds <paramref name="g"/> into <see cref="Grad"/>, allocating it on first use.</summary>
    internal void AccumulateGrad(ReadOnlySpan<float> g)
    {
        if (Grad is null)
        {
            Grad = TensorMemory.Rent(g.Length);
            g.CopyTo(Grad);
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(Grad, g, Grad);
    }

    /// <summary>The gradient buffer, allocated zero-filled on first use, for kernels that scatter into it.</summary>
    internal float[] GradBuffer() => Grad ??= TensorMemory.RentZeroed(Size);

    public Tensor GradTensor() => Grad is null
        ? throw new InvalidOperationException($"{Describe()} has no gradient; call Backward first")
        : new Tensor((float[])Grad.Clone(), _shape);

    internal string Describe() => $"tensor {(Name is null ? "" : $"'{Name}' ")}{ShapeMath.Format(_shape)}";

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeMath.Format(_shape));
        if (OpName is not null) sb.Append(" grad_fn=").Append(OpName);
        sb.Append(" [");
        int n = Math.Min(Size, 8);
        for (int i = 0; i < n; i++) { if (i > 0) sb.Append(", "); sb.Append(Data[i].ToString("G5", System.Globalization.CultureInfo.InvariantCulture)); }
        if (Size > n) sb.Append(", ...");
        return sb.Append(']').ToString();
    }
}
