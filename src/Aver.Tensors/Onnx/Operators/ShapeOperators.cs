namespace Aver.Tensors.Onnx.Operators;

/// <summary>Layout and constants: Reshape, Flatten, Transpose, Concat, Pad, Shape, Constant, ConstantOfShape.</summary>
internal static class ShapeOperators
{
    public static void Register()
    {
        OnnxOperators.Register("Reshape", Reshape);
        OnnxOperators.Register("Flatten", node =>
        {
            int axis = (int)node.Int("axis", 1);
            return inputs =>
            {
                var x = node.FloatInput(inputs[0], 0);
                int a = axis < 0 ? axis + x.Rank : axis;
                int outer = ShapeMath.Product(x.ShapeArray, 0, a);
                return [new OnnxValue(x.Reshape(outer, x.Size / Math.Max(1, outer)))];
            };
        });
        OnnxOperators.Register("Transpose", node =>
        {
            var perm = node.Ints("perm");
            return inputs =>
            {
                var x = node.FloatInput(inputs[0], 0);
                var p = perm?.Select(v => (int)v).ToArray() ?? Enumerable.Range(0, x.Rank).Reverse().ToArray();
                return [new OnnxValue(x.Permute(p))];
            };
        });
        OnnxOperators.Register("Concat", Concat);
        OnnxOperators.Register("Pad", Pad);
        OnnxOperators.Register("Shape", node => inputs =>
        {
            var s = inputs[0]!.Shape;
            return [new OnnxValue(s.Select(d => (long)d).ToArray(), [s.Length])];
        });
        OnnxOperators.Register("Constant", node =>
        {
            var t = node.TensorAttribute("value") ?? throw node.Error("only the 'value' (tensor) form of Constant is supported");
            var v = OnnxValue.From(t);
            return _ => [v];
        });
        OnnxOperators.Register("ConstantOfShape", node =>
        {
            var t = node.TensorAttribute("value");
            return inputs =>
            {
                var shape = node.IntInput(inputs[0], 0).Select(d => checked((int)d)).ToArray();
                if (t is { IntData: { } ints }) return [new OnnxValue(Enumerable.Repeat(ints.Length > 0 ? ints[0] : 0, ShapeMath.Size(shape)).ToArray(), shape)];
                float fill = t?.FloatData is { Length: > 0 } f ? f[0] : 0f;
                return [new OnnxValue(Tensor.Full(fill, shape))];
            };
        });
    }

    /// <summary>ONNX Reshape: 0 copies the input's dimension (unless allowzero), -1 is inferred.</summary>
    private static OnnxKernel Reshape(OnnxNode node)
    {
        bool allowZero = node.Int("allowzero", 0) != 0;
        return inputs =>
        {
            var x = node.FloatInput(inputs[0], 0);
            var target = node.IntInput(inputs[1], 1);
            var shape = new int[target.Length];
            for (int i = 0; i < shape.Length; i++)
                shape[i] = target[i] == 0 && !allowZero ? x.Dim(i) : checked((int)target[i]);
            // A batch-1 export run on a batch of N: the leading 1 becomes N (OnnxModelOptions.FreeBatch).
            if (node.Options.FreeBatch && shape.Length > 0 && shape[0] == 1 && x.Rank > 0 && x.Dim(0) > 1 && !shape.Contains(-1)
                && ShapeMath.Size(shape) * x.Dim(0) == x.Size)
                shape[0] = x.Dim(0);
            try { return [new OnnxValue(x.Reshape(shape))]; }
            catch (ShapeException e) { throw node.Error(e.Message); }
        };
    }

    private static OnnxKernel Concat(OnnxNode node)
    {
        if (!node.Has("axis")) throw node.Error("has no axis attribute");
        int axis = (int)node.Int("axis", 0);
        var constant = Enumerable.Range(0, node.InputCount).Select(i => node.Constant(i) is not null).ToArray();
        return inputs =>
        {
            if (inputs.All(v => v is { Ints: not null }))
            {
                if (inputs.Any(v => v!.Shape.Length != 1)) throw node.Error("integer Concat is supported for 1-d tensors only");
                var joined = inputs.SelectMany(v => v!.Ints!).ToArray();
                return [new OnnxValue(joined, [joined.Length])];
            }
            var xs = new Tensor[inputs.Length];
            for (int i = 0; i < xs.Length; i++) xs[i] = node.FloatInput(inputs[i], i);
            int rank = xs[0].Rank, ax = axis < 0 ? axis + rank : axis;
            int batch = xs.Max(t => t.Rank > 0 ? t.Dim(0) : 1);
            if (node.Options.FreeBatch && ax != 0 && batch > 1)
                for (int i = 0; i < xs.Length; i++)
                    if (constant[i] && xs[i].Dim(0) == 1)
                    {
                        var target = xs[i].Shape.ToArray();
                        target[0] = batch;
                        xs[i] = xs[i].Expand(target);
                    }
            try { return [new OnnxValue(Tensor.Concat(xs, ax))]; }
            catch (ShapeException e) { throw node.Error(e.Message); }
        };
    }

    /// <summary>Pad (opset 11+, pads as input; opset 2 as attribute), constant mode with non-negative pads.</summary>
    private static OnnxKernel Pad(OnnxNode node)
    {
        string mode = node.String("mode", "constant");
        if (mode != "constant") throw node.Error($"Pad mode '{mode}' is not supported (only 'constant')");
        var attrPads = node.Ints("pads");
        float attrValue = node.Float("value", 0f);
        return inputs =>
        {
            var x = node.FloatInput(inputs[0], 0);
            var pads = attrPads ?? node.IntInput(inputs.Length > 1 ? inputs[1] : null, 1);
            float value = inputs.Length > 2 && inputs[2]?.Float is { } v ? v.Data[0] : attrValue;
            int rank = x.Rank;
            if (pads.Length != 2 * rank) throw node.Error($"pads has {pads.Length} values, {2 * rank} expected for input {ShapeMath.Format(x.Shape)}");
            var pairs = new int[2 * rank];
            for (int d = 0; d < rank; d++) { pairs[2 * (rank - 1 - d)] = (int)pads[d]; pairs[2 * (rank - 1 - d) + 1] = (int)pads[rank + d]; }
            try { return [new OnnxValue(x.Pad(pairs, value))]; }
            catch (ShapeException e) { throw node.Error(e.Message); }
        };
    }
}
