namespace Aver.Tensors.Onnx;

/// <summary>
/// A value flowing through an ONNX graph: a float tensor (an Aver <see cref="Tensor"/>, so ops record
/// autograd when gradients are on) or an integer tensor (shapes, axes, indices) kept as longs.
/// </summary>
public sealed class OnnxValue
{
    /// <summary>The float tensor, or null for an integer value.</summary>
    public Tensor? Float { get; }
    /// <summary>The integer elements row-major, or null for a float value.</summary>
    public long[]? Ints { get; }
    /// <summary>The shape (a scalar has none).</summary>
    public int[] Shape { get; }

    public OnnxValue(Tensor value) { Float = value; Shape = value.Shape.ToArray(); }

    public OnnxValue(long[] ints, int[] shape)
    {
        if (ShapeMath.Size(shape) != ints.Length) throw new OnnxException($"integer tensor of {ints.Length} elements cannot have shape {ShapeMath.Format(shape)}");
        Ints = ints; Shape = shape;
    }

    public bool IsFloat => Float is not null;

    /// <summary>An initializer or Constant attribute as a value.</summary>
    public static OnnxValue From(OnnxTensorProto t)
    {
        var shape = t.Dims.Select(d => checked((int)d)).ToArray();
        return t.FloatData is { } f ? new OnnxValue(new Tensor(f, shape) { Name = t.Name }) : new OnnxValue(t.IntData!, shape);
    }

    public override string ToString() => $"{(IsFloat ? "float" : "int64")} {ShapeMath.Format(Shape)}";
}
