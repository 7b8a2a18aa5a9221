namespace Aver.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Builds the result of an op. When grad mode is on and any input requires a gradient, the
    /// result remembers its inputs and the closure that pushes its gradient back into them.
    /// </summary>
    internal static Tensor FromOp(string op, float[] data, int[] shape, Tensor[] inputs, Action<Tensor> backward)
    {
        if (OpProfiler.Enabled) OpProfiler.Forward(op = OpProfiler.Name(op, shape));
        var result = new Tensor(data, shape);
        if (!GradMode.IsEnabled) return result;
        foreach (var input in inputs)
        {
            if (!input.RequiresGrad) continue;
            result.RequiresGrad = true;
            result.Parents = inputs;
            result.BackwardFn = backward;
            result.OpName = op;
            break;
        }
        return result;
    }

    /// <summary>
    /// Reverse-mode differentiation from this tensor. A scalar is seeded with 1; a larger tensor
    /// needs <paramref name="gradient"/>. Gradients accumulate into leaves with <c>+=</c> (so a
    /// value used twice receives both contributions); intermediate gradients and the graph are
    /// released as they are consumed, like PyTorch without <c>retain_graph</c>.
    /// </summary>
    public void Backward(Tensor? gradient = null)
    {
        if (!RequiresGrad) throw new InvalidOperationException($"Backward: {Describe()} does not require grad (no input requires grad, or it was made under NoGrad)");
        if (gradient is null && Size != 1)
            throw new ShapeException($"Backward: {Describe()} is not a scalar; pass the gradient of the output");
        if (gradient is not null && !ShapeMath.SameShape(gradient.Shape, Shape))
            throw new ShapeException($"Backward: gradient shape {ShapeMath.Format(gradient.Shape)} does not match {Describe()}");

        var order = TopologicalOrder();
        if (gradient is null) AccumulateGrad([1f]); else AccumulateGrad(gradient.Data);

        using var _ = GradMode.NoGrad();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node.BackwardFn is null) continue;
            if (node.Grad is not null)
            {
                var start = OpProfiler.Enabled ? OpProfiler.Now() : default;
                node.BackwardFn(node);
                if (OpProfiler.Enabled) OpProfiler.Since(node.OpName + ".backward", start);
            }
            // Free the graph behind us: intermediate results keep neither history nor gradient. The gradient is this
            // node's alone (ops hand arrays on with ReleaseGrad), so the next op may reuse it.
            node.BackwardFn = null;
            node.Parents = null;
            TensorMemory.Recycle(node.Grad);
            node.Grad = null;
            // A result its module released (TensorMemory.Release): every closure that reads it, its consumers' and its
            // own, has run by now.
            if (node.RecycleAfterBackward) TensorMemory.Recycle(node.Data);
            node.RecycleAfterBackward = false;
        }
    }

    // Iterative depth-first post-order: a recursive walk overflows the stack on deep networks.
    private List<Tensor> TopologicalOrder()
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor node, int next)>();
        stack.Push((this, 0));
        visited.Add(this);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var parents = node.Parents;
            if (parents is not null && next < parents.Length)
            {
                stack.Push((node, next + 1));
                var p = parents[next];
                if (p.RequiresGrad && visited.Add(p)) stack.Push((p, 0));
            }
            else order.Add(node);
        }
        return order;
    }
}
