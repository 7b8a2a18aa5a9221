using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>
/// The elementwise part of one LSTM step for one sequence, forward and backward, written by
/// hand over spans of the hidden size (PyTorch's gate order i, f, g, o):
/// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o); c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c').
/// The matrix products around it are done once per step for the whole batch by the caller.
/// </summary>
internal static class LstmCell
{
    /// <summary>
    /// Turns the pre-activations in <paramref name="gates"/> [4H] into activations in place, updates
    /// the cell <paramref name="c"/> [H] in place and writes the new hidden state into <paramref name="h"/> [H].
    /// <paramref name="scratch"/> is [H].
    /// </summary>
    public static void Forward(Span<float> gates, Span<float> c, Span<float> h, Span<float> scratch)
    {
        int n = c.Length;
        var i = gates[..n]; var f = gates.Slice(n, n); var g = gates.Slice(2 * n, n); var o = gates.Slice(3 * n, n);
        TensorPrimitives.Sigmoid(gates[..(2 * n)], gates[..(2 * n)]);
        TensorPrimitives.Tanh(g, g);
        TensorPrimitives.Sigmoid(o, o);
        TensorPrimitives.Multiply(f, c, c);
        TensorPrimitives.FusedMultiplyAdd(i, g, c, c);
        TensorPrimitives.Tanh(c, scratch);
        TensorPrimitives.Multiply(o, scratch, h);
    }

    /// <summary>
    /// Back-propagates one step. Inputs: the activations <paramref name="gates"/> [4H], the cell
    /// before (<paramref name="cPrev"/>) and after (<paramref name="c"/>) the step, the gradient
    /// reaching the new hidden state <paramref name="dh"/> [H], and in <paramref name="dc"/> [H]
    /// the gradient reaching the new cell from later steps. Writes the pre-activation gradients
    /// into <paramref name="dGates"/> [4H] and replaces <paramref name="dc"/> by the gradient of
    /// the previous cell. <paramref name="scratch"/> is [H].
    /// </summary>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> c,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dGates, Span<float> scratch)
    {
        int n = c.Length;
        var i = gates[..n]; var f = gates.Slice(n, n); var g = gates.Slice(2 * n, n); var o = gates.Slice(3 * n, n);
        var di = dGates[..n]; var df = dGates.Slice(n, n); var dg = dGates.Slice(2 * n, n); var dO = dGates.Slice(3 * n, n);
        var tc = scratch;
        TensorPrimitives.Tanh(c, tc);
        // dO = dh * tanh(c) * o (1 - o)
        TensorPrimitives.Multiply(dh, tc, dO);
        SigmoidDerivative(dO, o);
        // dc += dh * o * (1 - tanh(c)^2)
        TensorPrimitives.FusedMultiplyAdd(tc, tc, -1f, tc); // tanh^2 - 1
        TensorPrimitives.Multiply(tc, o, tc);
        TensorPrimitives.Multiply(tc, dh, tc);
        TensorPrimitives.Subtract(dc, tc, dc);
        // di = dc g i (1 - i); df = dc c_prev f (1 - f); dg = dc i (1 - g^2)
        TensorPrimitives.Multiply(dc, g, di);
        SigmoidDerivative(di, i);
        TensorPrimitives.Multiply(dc, cPrev, df);
        SigmoidDerivative(df, f);
        TensorPrimitives.Multiply(g, g, dg);
        TensorPrimitives.Subtract(1f, dg, dg);
        TensorPrimitives.Multiply(dg, i, dg);
        TensorPrimitives.Multiply(dg, dc, dg);
        // the previous cell's gradient: dc * f
        TensorPrimitives.Multiply(dc, f, dc);
    }

    // d *= s (1 - s) for a sigmoid output s.
    private static void SigmoidDerivative(Span<float> d, ReadOnlySpan<float> s)
    {
        for (int k = 0; k < d.Length; k++) d[k] *= s[k] * (1f - s[k]);
    }
}
