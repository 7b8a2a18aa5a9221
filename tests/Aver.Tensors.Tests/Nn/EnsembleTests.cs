using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

public class EnsembleTests
{
    [Fact]
    public void Its_softmax_is_the_mean_of_the_members_softmaxes()
    {
        var rng = new RandomStream(3);
        var a = new Linear(5, 4, rng: rng.Fork("a"));
        var b = new Linear(5, 4, rng: rng.Fork("b"));
        var c = new Linear(5, 4, rng: rng.Fork("c"));
        var ensemble = new Ensemble([a, b, c]);
        var x = Tensor.Normal(rng.Fork("x"), 0f, 2f, 6, 5);
        var got = ensemble.Forward(x).Softmax(-1).Data;
        var pa = a.Forward(x).Softmax(-1).Data; var pb = b.Forward(x).Softmax(-1).Data; var pc = c.Forward(x).Softmax(-1).Data;
        var expected = new float[got.Length];
        for (int i = 0; i < expected.Length; i++) expected[i] = (pa[i] + pb[i] + pc[i]) / 3f;
        Fixture.AssertClose(expected, got, "ensemble probabilities", 1e-5f, 1e-6f);
        // Not simply one member's answer, nor the softmax of the mean logits.
        Assert.False(Close(pa, got));
        var meanLogits = ((a.Forward(x) + b.Forward(x) + c.Forward(x)) * (1f / 3)).Softmax(-1).Data;
        Assert.False(Close(meanLogits, got));
    }

    [Fact]
    public void Scores_computed_apart_give_the_same_answer_as_the_module()
    {
        var rng = new RandomStream(5);
        var a = new Linear(5, 4, rng: rng.Fork("a"));
        var b = new Linear(5, 4, rng: rng.Fork("b"));
        var x = Tensor.Normal(rng.Fork("x"), 0f, 2f, 6, 5);
        using var _ = GradMode.NoGrad();
        var module = new Ensemble([a, b]).Forward(x).Data;
        var apart = Ensemble.LogMeanProbability([a.Forward(x).Data, b.Forward(x).Data], 4);
        Fixture.AssertClose(module, apart, "log mean probability", 1e-5f, 1e-6f);
        Assert.Throws<ArgumentException>(() => Ensemble.LogMeanProbability([new float[8], new float[4]], 4));
    }

    [Fact]
    public void Members_are_children_0_1_and_load_from_a_state_dict()
    {
        var rng = new RandomStream(4);
        var ensemble = new Ensemble([new Linear(3, 2, rng: rng.Fork("a")), new Linear(3, 2, rng: rng.Fork("b"))]);
        var names = ensemble.StateDict().Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["0.bias", "0.weight", "1.bias", "1.weight"], names);
        var copy = new Ensemble([new Linear(3, 2, rng: rng.Fork("c")), new Linear(3, 2, rng: rng.Fork("d"))]);
        copy.LoadStateDict(ensemble.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value), strict: true, source: "test");
        var x = Tensor.Normal(rng.Fork("x"), 0f, 1f, 2, 3);
        Assert.True(ensemble.Forward(x).Data.AsSpan().SequenceEqual(copy.Forward(x).Data));
    }

    [Fact]
    public void A_member_sure_of_nothing_keeps_the_output_finite()
    {
        var sure = new Lambda(_ => Tensor.FromArray(new float[] { 200f, -200f }, 1, 2));
        var output = new Ensemble([sure, sure]).Forward(Tensor.Zeros(1, 2)).Data;
        Assert.All(output, v => Assert.True(float.IsFinite(v)));
        Assert.True(output[0] > output[1]);
    }

    [Fact]
    public void One_member_is_not_an_ensemble() =>
        Assert.Throws<ArgumentException>(() => new Ensemble([new Linear(2, 2, rng: new RandomStream(1))]));

    private static bool Close(float[] a, float[] b)
    {
        for (int i = 0; i < a.Length; i++) if (Math.Abs(a[i] - b[i]) > 1e-4f) return false;
        return true;
    }
}
