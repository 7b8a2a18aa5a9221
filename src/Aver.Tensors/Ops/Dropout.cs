namespace Aver.Tensors;

/// <summary>Inverted dropout (F.dropout): drop with probability p, scale survivors by 1 / (1 - p).</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> (decided by
    /// <paramref name="rng"/>, one draw per element in row-major order, so a seed fixes the
    /// mask) and scales the rest by 1 / (1 - p), so the expectation is unchanged. Identity when
    /// <paramref name="training"/> is false or p is 0; all zeros when p is 1.
    /// </summary>
    public Tensor Dropout(float p, RandomStream rng, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(p >= 0f && p <= 1f)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: probability must be in [0, 1]");
        if (!training || p == 0f) return this;
        float scale = p == 1f ? 0f : 1f / (1f - p);
        var mask = TensorMemory.Rent(Size);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() < p ? 0f : scale;
        var y = TensorMemory.Rent(Size);
        System.Numerics.Tensors.TensorPrimitives.Multiply(Data, mask, y);
        var a = this;
        return FromOp("Dropout", y, (int[])_shape.Clone(), [a], r =>
        {
            var dx = TensorMemory.Rent(a.Size);
            System.Numerics.Tensors.TensorPrimitives.Multiply(r.Grad, mask, dx);
            a.AccumulateOwnedGrad(dx);
        });
    }
}
