using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>Softmax and log-softmax along one axis, numerically stabilised by the row maximum.</summary>
public sealed partial class Tensor
{
    public Tensor Softmax(int axis = -1) => SoftmaxCore(axis, log: false);
    public Tensor LogSoftmax(int axis = -1) => SoftmaxCore(axis, log: true);

    private Tensor SoftmaxCore(int axis, bool log)
    {
        int ax = ShapeMath.Axis(axis, Rank, log ? "LogSoftmax" : "Softmax");
        int outer = ShapeMath.Product(_shape, 0, ax), n = _shape[ax], inner = ShapeMath.Product(_shape, ax + 1, Rank);
        var y = TensorMemory.Rent(Size);
        var src = Data;
        Engine.For(outer, o =>
        {
            Span<float> row = n <= 1024 ? stackalloc float[n] : new float[n];
            Span<float> res = n <= 1024 ? stackalloc float[n] : new float[n];
            for (int i = 0; i < inner; i++)
            {
                int baseOff = o * n * inner + i;
                for (int j = 0; j < n; j++) row[j] = src[baseOff + j * inner];
                if (log)
                {
                    float max = TensorPrimitives.Max(row);
                    TensorPrimitives.Subtract(row, max, res);
                    TensorPrimitives.Exp(res, row);
                    float lse = MathF.Log(TensorPrimitives.Sum(row));
                    TensorPrimitives.Subtract(res, lse, res);
                }
                else
                {   // TensorPrimitives.SoftMax does not subtract the maximum: exp overflows to NaN above ~88.
                    TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
                    TensorPrimitives.SoftMax(row, res);
                }
                for (int j = 0; j < n; j++) y[baseOff + j * inner] = res[j];
            }
        });
        var a = this;
        return FromOp(log ? "LogSoftmax" : "Softmax", y, _shape, [a], r =>
        {
            var g = r.Grad!;
            var dx = TensorMemory.Rent(a.Size);
            Engine.For(outer, o =>
            {
                for (int i = 0; i < inner; i++)
                {
                    int baseOff = o * n * inner + i;
                    if (log)
                    {   // dx = g - softmax * sum(g)
                        float sg = 0;
                        for (int j = 0; j < n; j++) sg += g[baseOff + j * inner];
                        for (int j = 0; j < n; j++) { int k = baseOff + j * inner; dx[k] = g[k] - MathF.Exp(y[k]) * sg; }
                    }
                    else
                    {   // dx = y * (g - sum(g * y))
                        float dot = 0;
                        for (int j = 0; j < n; j++) { int k = baseOff + j * inner; dot += g[k] * y[k]; }
                        for (int j = 0; j < n; j++) { int k = baseOff + j * inner; dx[k] = y[k] * (g[k] - dot); }
                    }
                }
            });
            a.AccumulateGrad(dx);
        });
    }
}
