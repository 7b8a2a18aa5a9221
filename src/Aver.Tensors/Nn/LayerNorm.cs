namespace Aver.Tensors.Nn;

/// <summary>
/// nn.LayerNorm: normalises over the trailing <see cref="NormalizedShape"/> dimensions, then
/// scales by <c>weight</c> (ones) and shifts by <c>bias</c> (zeros) when elementwise-affine.
/// Input [*, normalized_shape] -> same shape.
/// </summary>
public sealed class LayerNorm : Module
{
    public int[] NormalizedShape { get; }
    public float Eps { get; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }

    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (!elementwiseAffine) return;
        Weight = RegisterParameter("weight", Tensor.Ones(NormalizedShape));
        if (bias) Bias = RegisterParameter("bias", Tensor.Zeros(NormalizedShape));
    }

    /// <summary>Normalises over the last dimension of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, float eps = 1e-5f, bool elementwiseAffine = true, bool bias = true)
        : this([features], eps, elementwiseAffine, bias) { }

    public override Tensor Forward(Tensor input) => input.LayerNorm(NormalizedShape, Weight, Bias, Eps);
}
