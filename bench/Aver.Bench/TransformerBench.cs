using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Bench;

/// <summary>One Transformer encoder layer (d_model 512, 8 heads, ff 2048, dropout 0.1) in train mode, batch 32, T = 50: forward, sum, backward (gradients accumulate across steps, as in torch_bench.py).</summary>
internal static class TransformerBench
{
    public static Action Setup()
    {
        var rng = new RandomStream(0);
        var layer = new TransformerEncoderLayer(512, 8, 2048, dropout: 0.1f, rng: rng.Fork("model"));
        layer.Train();
        var x = Tensor.Normal(rng.Fork("x"), 0f, 1f, 32, 50, 512);
        return () =>
        {
            layer.Forward(x).Sum().Backward();
        };
    }
}
