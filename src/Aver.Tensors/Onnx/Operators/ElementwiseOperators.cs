namespace Aver.Tensors.Onnx.Operators;

/// <summary>Broadcasting arithmetic and activations: Add, Sub, Mul, Div, Relu, LeakyRelu, PRelu, Sigmoid, Tanh, Exp, Identity.</summary>
internal static class ElementwiseOperators
{
    public static void Register()
    {
        OnnxOperators.Register("Add", node => inputs =>
        {
            var a = node.FloatInput(inputs[0], 0);
            var b = node.FloatInput(inputs[1], 1);
            if (NoGrad(a, b) && a.Shape.SequenceEqual(b.Shape))
            {
                if (node.Consumable(0)) return [new OnnxValue(a.AddInPlace(b))];
                if (node.Consumable(1)) return [new OnnxValue(b.AddInPlace(a))];
            }
            return [new OnnxValue(a.Add(b))];
        });
        Binary("Sub", (a, b) => a.Sub(b));
        Binary("Mul", (a, b) => a.Mul(b));
        Binary("Div", (a, b) => a.Div(b));
        OnnxOperators.Register("Relu", node => inputs =>
        {
            var x = node.FloatInput(inputs[0], 0);
            return [new OnnxValue(node.Consumable(0) && NoGrad(x) ? x.ReluInPlace() : x.Relu())];
        });
        Unary("Sigmoid", x => x.Sigmoid());
        Unary("Tanh", x => x.Tanh());
        Unary("Exp", x => x.Exp());
        OnnxOperators.Register("LeakyRelu", node =>
        {
            float alpha = node.Float("alpha", 0.01f);
            return inputs => [new OnnxValue(node.FloatInput(inputs[0], 0).LeakyRelu(alpha))];
        });
        OnnxOperators.Register("PRelu", PRelu);
        OnnxOperators.Register("Identity", _ => inputs => [inputs[0]!]);
    }

    /// <summary>Whether the op may skip autograd (and so overwrite a consumable input): gradients off, or no input that wants them.</summary>
    private static bool NoGrad(Tensor a, Tensor? b = null) =>
        !GradMode.IsEnabled || (!a.RequiresGrad && !(b?.RequiresGrad ?? false));

    private static void Binary(string op, Func<Tensor, Tensor, Tensor> f) =>
        OnnxOperators.Register(op, node => inputs => [new OnnxValue(f(node.FloatInput(inputs[0], 0), node.FloatInput(inputs[1], 1)))]);

    private static void Unary(string op, Func<Tensor, Tensor> f) =>
        OnnxOperators.Register(op, node => inputs => [new OnnxValue(f(node.FloatInput(inputs[0], 0)))]);

    /// <summary>
    /// PRelu with a slope broadcast against X. A per-channel slope ([C], [C,1,1] or [1,C,1,1]) uses Aver's
    /// Prelu; any other broadcastable slope is relu(x) - slope * relu(-x).
    /// </summary>
    private static OnnxKernel PRelu(OnnxNode node) => inputs =>
    {
        var x = node.FloatInput(inputs[0], 0);
        var slope = node.FloatInput(inputs[1], 1);
        int c = x.Rank >= 2 ? x.Dim(1) : -1;
        var s = slope.Shape;
        bool perChannel = slope.Size == c && x.Rank >= 2 && TrailingOnes(s, x.Rank);
        if (slope.Size == 1 || perChannel) return [new OnnxValue(x.Prelu(slope.Reshape(slope.Size)))];
        return [new OnnxValue(x.Relu().Sub(slope.Mul(x.Neg().Relu())))];
    };

    /// <summary>True when a slope of shape <paramref name="s"/> lines its only non-1 axis up with axis 1 of a rank-<paramref name="rank"/> input.</summary>
    private static bool TrailingOnes(ReadOnlySpan<int> s, int rank)
    {
        // Broadcasting aligns from the right: the channel axis of the input is at rank - 1 - (rank - 2) counted from the end.
        int channelFromEnd = rank - 2;
        for (int i = 0; i < s.Length; i++)
        {
            int fromEnd = s.Length - 1 - i;
            if (s[i] != 1 && fromEnd != channelFromEnd) return false;
        }
        return s.Length >= channelFromEnd + 1;
    }
}
