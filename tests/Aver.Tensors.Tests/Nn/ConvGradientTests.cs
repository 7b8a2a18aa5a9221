namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>Finite-difference checks of convolution gradients (input, weight, bias) in every rank and variant.</summary>
public class ConvGradientTests
{
    [Fact] public void Conv1dPlain() => AssertGradients(x => x[0].Conv1d(x[1], x[2]), Rand(1, 2, 3, 8), Rand(2, 4, 3, 3), Rand(3, 4));
    [Fact] public void Conv1dStridePaddingDilation() => AssertGradients(x => x[0].Conv1d(x[1], x[2], stride: 2, padding: 2, dilation: 2), Rand(1, 2, 3, 11), Rand(2, 4, 3, 3), Rand(3, 4));
    [Fact] public void Conv1dGroups() => AssertGradients(x => x[0].Conv1d(x[1], x[2], padding: 1, groups: 2), Rand(1, 2, 4, 7), Rand(2, 6, 2, 3), Rand(3, 6));
    [Fact] public void Conv1dPointwise() => AssertGradients(x => x[0].Conv1d(x[1], x[2]), Rand(1, 3, 5, 6), Rand(2, 4, 5, 1), Rand(3, 4));

    [Fact] public void Conv2dPlain() => AssertGradients(x => x[0].Conv2d(x[1], x[2]), Rand(1, 2, 3, 5, 6), Rand(2, 4, 3, 3, 3), Rand(3, 4));
    [Fact] public void Conv2dStridePadding() => AssertGradients(x => x[0].Conv2d(x[1], x[2], stride: (2, 1), padding: (1, 2)), Rand(1, 2, 3, 7, 6), Rand(2, 4, 3, 3, 3), Rand(3, 4));
    [Fact] public void Conv2dDilation() => AssertGradients(x => x[0].Conv2d(x[1], null, padding: 2, dilation: (2, 3)), Rand(1, 2, 2, 7, 8), Rand(2, 3, 2, 3, 2));
    [Fact] public void Conv2dGroups() => AssertGradients(x => x[0].Conv2d(x[1], x[2], stride: 2, padding: 1, groups: 3), Rand(1, 2, 6, 6, 5), Rand(2, 6, 2, 3, 3), Rand(3, 6));
    [Fact] public void Conv2dDepthwise() => AssertGradients(x => x[0].Conv2d(x[1], x[2], padding: 1, groups: 4), Rand(1, 2, 4, 5, 5), Rand(2, 4, 1, 3, 3), Rand(3, 4));
    [Fact] public void Conv2dPointwiseStrided() => AssertGradients(x => x[0].Conv2d(x[1], null, stride: 2), Rand(1, 3, 4, 5, 5), Rand(2, 6, 4, 1, 1));

    [Fact] public void Conv3dPlain() => AssertGradients(x => x[0].Conv3d(x[1], x[2]), Rand(1, 2, 2, 4, 4, 5), Rand(2, 3, 2, 2, 3, 2), Rand(3, 3));
    [Fact] public void Conv3dStridePaddingDilation() => AssertGradients(x => x[0].Conv3d(x[1], x[2], stride: (1, 2, 2), padding: 1, dilation: (2, 1, 1)), Rand(1, 2, 2, 5, 5, 5), Rand(2, 3, 2, 2, 3, 3), Rand(3, 3));
    [Fact] public void Conv3dGroups() => AssertGradients(x => x[0].Conv3d(x[1], x[2], padding: (0, 1, 1), groups: 2), Rand(1, 2, 4, 3, 4, 4), Rand(2, 4, 2, 2, 2, 2), Rand(3, 4));

    [Fact]
    public void SingleSampleAndManySamplesAgree()
    {
        // Chunking over the batch must not change the result: sample i of a batch equals that sample alone.
        var x = Rand(1, 5, 3, 6, 6); var w = Rand(2, 4, 3, 3, 3); var b = Rand(3, 4);
        var all = x.Conv2d(w, b, padding: 1);
        for (int n = 0; n < 5; n++)
        {
            var one = new Tensor(x.Data.AsSpan(n * 108, 108).ToArray(), 1, 3, 6, 6).Conv2d(w, b, padding: 1);
            Fixture.AssertClose(one.Data, all.Data.AsSpan(n * one.Size, one.Size), $"sample {n}");
        }
    }
}
