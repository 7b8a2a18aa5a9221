using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Bench;

/// <summary>2-layer bidirectional LSTM (input 512, hidden 256), batch 32, T = 50: forward, sum, backward (gradients accumulate across steps, as in torch_bench.py).</summary>
internal static class BiLstmBench
{
    public static Action Setup()
    {
        var rng = new RandomStream(0);
        var lstm = new LSTM(512, 256, numLayers: 2, bidirectional: true, rng: rng.Fork("model"));
        var x = Tensor.Normal(rng.Fork("x"), 0f, 1f, 32, 50, 512);
        return () =>
        {
            lstm.Forward(x).Sum().Backward();
        };
    }
}
