using Aver.Tensors.Nn;
using Aver.Testing;

namespace Aver.Tensors.Tests.Nn;

/// <summary>Aver's LSTM against torch.nn.LSTM with the same weights (tools/reference/sequence.py).</summary>
public class LstmReferenceTests
{
    [Theory]
    [InlineData("lstm_uni")]
    [InlineData("lstm_bi2")]
    public void MatchesTorch(string name)
    {
        var f = new SequenceFixture(name);
        var x = f.Leaf("x");
        int input = x.Dim(2), hidden = f["h"].Dim(2);
        bool bi = f.Has("state.weight_ih_l0_reverse");
        int layers = f["h"].Dim(0) / (bi ? 2 : 1);
        var lstm = f.Load(new LSTM(input, hidden, layers, bi));
        var lengths = f["lengths"].Data.Select(v => (int)v).ToArray();
        var h0 = f.Has("h0") ? f.Leaf("h0") : null;
        var c0 = f.Has("c0") ? f.Leaf("c0") : null;

        var r = lstm.Forward(x, lengths, h0, c0);
        Fixture.AssertClose(f["output"], r.Output, "output");
        Fixture.AssertClose(f["h"], r.H, "h_n");
        Fixture.AssertClose(f["c"], r.C, "c_n");

        f.Loss((r.Output, "output"), (r.H, "h"), (r.C, "c")).Backward();
        Fixture.AssertClose(f["grad.x"], x.GradTensor(), "grad of x");
        if (h0 is not null) Fixture.AssertClose(f["grad.h0"], h0.GradTensor(), "grad of h0");
        if (c0 is not null) Fixture.AssertClose(f["grad.c0"], c0.GradTensor(), "grad of c0");
        f.AssertParameterGradients(lstm);
    }
}

/// <summary>Shape, naming and padding behaviour of the LSTM module.</summary>
public class LstmModuleTests
{
    [Fact]
    public void ParameterNamesShapesAndInitFollowTorch()
    {
        var lstm = new LSTM(3, 4, 2, bidirectional: true, rng: new RandomStream(1));
        var names = lstm.StateDict().Select(kv => $"{kv.Key}{ShapeMath.Format(kv.Value.Shape)}").ToArray();
        Assert.Equal(new[]
        {
            "weight_ih_l0[16, 3]", "weight_hh_l0[16, 4]", "bias_ih_l0[16]", "bias_hh_l0[16]",
            "weight_ih_l0_reverse[16, 3]", "weight_hh_l0_reverse[16, 4]", "bias_ih_l0_reverse[16]", "bias_hh_l0_reverse[16]",
            "weight_ih_l1[16, 8]", "weight_hh_l1[16, 4]", "bias_ih_l1[16]", "bias_hh_l1[16]",
            "weight_ih_l1_reverse[16, 8]", "weight_hh_l1_reverse[16, 4]", "bias_ih_l1_reverse[16]", "bias_hh_l1_reverse[16]",
        }, names);
        foreach (var p in lstm.Parameters())
            Assert.All(p.Data, v => Assert.InRange(v, -0.5f, 0.5f));
    }

    [Fact]
    public void PaddedStepsAreZeroAndFinalStateIsTheSequencesOwn()
    {
        var lstm = new LSTM(2, 3, 1, bidirectional: true, rng: new RandomStream(2));
        var x = Tensor.Uniform(new RandomStream(3), -1, 1, 2, 5, 2);
        var padded = lstm.Forward(x, [3, 5]);
        // The first sequence alone, cut to its 3 valid steps, must give the same results.
        var alone = lstm.Forward(x.Narrow(0, 0, 1).Narrow(1, 0, 3), null);
        for (int t = 0; t < 5; t++)
            for (int j = 0; j < 6; j++)
                Assert.Equal(t < 3 ? alone.Output[0, t, j] : 0f, padded.Output[0, t, j], 1e-6f);
        for (int d = 0; d < 2; d++)
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(alone.H[d, 0, j], padded.H[d, 0, j], 1e-6f);
                Assert.Equal(alone.C[d, 0, j], padded.C[d, 0, j], 1e-6f);
            }
    }

    [Fact]
    public void DropoutBetweenLayersOnlyInTraining()
    {
        var x = Tensor.Uniform(new RandomStream(4), -1, 1, 2, 4, 3);
        var lstm = new LSTM(3, 5, 2, dropout: 0.5f, rng: new RandomStream(5));
        Assert.NotEqual(lstm.Forward(x).Data, lstm.Forward(x).Data);
        lstm.Eval();
        Assert.Equal(lstm.Forward(x).Data, lstm.Forward(x).Data);
        // A single layer has nothing between layers to drop.
        var single = new LSTM(3, 5, 1, dropout: 0.5f, rng: new RandomStream(5));
        Assert.Equal(single.Forward(x).Data, single.Forward(x).Data);
    }

    [Fact]
    public void InferenceWithoutGradientsGivesTheSameResults()
    {
        var lstm = new LSTM(3, 4, 2, bidirectional: true, rng: new RandomStream(6));
        var x = Tensor.Uniform(new RandomStream(7), -1, 1, 3, 5, 3);
        int[] lengths = [5, 2, 4];
        var trained = lstm.Forward(x, lengths);
        LstmResult inferred;
        using (GradMode.NoGrad()) inferred = lstm.Forward(x, lengths);
        Assert.Equal(trained.Output.Data, inferred.Output.Data);
        Assert.Equal(trained.H.Data, inferred.H.Data);
        Assert.Equal(trained.C.Data, inferred.C.Data);
    }

    [Fact]
    public void WrongInputSizeNamesShapes()
    {
        var e = Assert.Throws<ShapeException>(() => new LSTM(3, 4).Forward(Tensor.Zeros(2, 5, 7)));
        Assert.Contains("[2, 5, 7]", e.Message);
    }
}
