namespace Aver.Tensors;

/// <summary>
/// A per-dimension size argument of convolution and pooling (kernel, stride, padding,
/// dilation, output size), written like PyTorch's <c>int or tuple</c>: <c>3</c> means 3 in every
/// spatial dimension, <c>(3, 1)</c> or <c>new[] {3, 1}</c> gives one value per dimension.
/// <c>default</c> means "not given": the op uses its own default (stride of a pool = its kernel).
/// </summary>
public readonly struct Dims
{
    private readonly int[]? _values;

    public Dims(params int[] values) => _values = (int[])values.Clone();

    /// <summary>True when no value was given.</summary>
    public bool IsDefault => _values is null || _values.Length == 0;

    public static implicit operator Dims(int value) => new(value);
    public static implicit operator Dims((int, int) v) => new(v.Item1, v.Item2);
    public static implicit operator Dims((int, int, int) v) => new(v.Item1, v.Item2, v.Item3);
    public static implicit operator Dims(int[] values) => new(values);

    /// <summary>
    /// The values for <paramref name="rank"/> spatial dimensions, placed last in a 3-element
    /// array whose leading unused entries are <paramref name="unit"/> (so 1d and 2d run as 3d).
    /// </summary>
    internal int[] Expand(int rank, int fallback, int unit, string op, string name)
    {
        var r = new int[3];
        for (int i = 0; i < 3 - rank; i++) r[i] = unit;
        if (IsDefault) { for (int i = 3 - rank; i < 3; i++) r[i] = fallback; return r; }
        if (_values!.Length != 1 && _values.Length != rank)
            throw new ShapeException($"{op}: {name} has {_values.Length} values ({this}); give 1 or {rank}");
        for (int i = 0; i < rank; i++) r[3 - rank + i] = _values.Length == 1 ? _values[0] : _values[i];
        return r;
    }

    public override string ToString() => IsDefault ? "default" : _values!.Length == 1 ? _values[0].ToString() : "(" + string.Join(", ", _values) + ")";
}
