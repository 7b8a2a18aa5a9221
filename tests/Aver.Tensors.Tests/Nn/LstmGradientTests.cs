using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>Finite-difference checks of the fused LSTM op: every weight, the input and the initial states.</summary>
public class LstmGradientTests
{
    private static LSTM Make(int input, int hidden, int layers, bool bi, ulong seed)
    {
        var lstm = new LSTM(input, hidden, layers, bi, rng: new RandomStream(seed));
        // Larger weights than the default init so that the gates leave their linear range.
        foreach (var p in lstm.Parameters()) Tensor.Uniform(new RandomStream(seed + (ulong)p.Size), -0.8f, 0.8f, p.Size).Data.CopyTo(p.Data, 0);
        return lstm;
    }

    // Output, final h and final c all feed the checked scalar, so each path's backward is covered.
    private static Tensor All(LstmResult r) => Tensor.Concat([r.Output.Flatten(0), r.H.Flatten(0), r.C.Flatten(0)], 0);

    private static void AssertLstmGradients(Func<Tensor[], Tensor> f, params Tensor[] inputs) =>
        SequenceGradientCheck.Assert(f, maxAbs: 1e-4, maxRel: 5e-2, inputs);

    private static Tensor[] With(Tensor x, LSTM lstm, params Tensor[] extra) => [x, .. lstm.Parameters(), .. extra];

    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public void FullLengthGradients(int layers, bool bi)
    {
        var lstm = Make(3, 4, layers, bi, 7);
        var x = Rand(1, 2, 5, 3);
        AssertLstmGradients(v => All(lstm.Forward(v[0], null)), With(x, lstm));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VariableLengthGradients(bool bi)
    {
        var lstm = Make(3, 4, 2, bi, 11);
        var x = Rand(2, 3, 6, 3);
        int[] lengths = [4, 6, 1];
        AssertLstmGradients(v => All(lstm.Forward(v[0], lengths)), With(x, lstm));
    }

    [Fact]
    public void InitialStateGradients()
    {
        var lstm = Make(3, 4, 2, true, 13);
        var x = Rand(3, 2, 4, 3);
        var h0 = Rand(4, 4, 2, 4);
        var c0 = Rand(5, 4, 2, 4);
        int[] lengths = [2, 4];
        AssertLstmGradients(v => All(lstm.Forward(v[0], lengths, v[^2], v[^1])), With(x, lstm, h0, c0));
    }
}
