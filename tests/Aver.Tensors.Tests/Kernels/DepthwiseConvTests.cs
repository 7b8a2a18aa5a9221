namespace Aver.Tensors.Tests.Kernels;

/// <summary>
/// Depthwise convolutions (groups = channels) take the direct depthwise kernel in <see cref="Tensor.Conv2d"/>
/// itself (the ONNX importer's fast path before): outputs against a direct sum in double, gradients by
/// finite differences in <see cref="Nn.ConvGradientTests"/>.
/// </summary>
public class DepthwiseConvTests
{
    [Theory]
    [InlineData(3, 1, 1, 9)]
    [InlineData(3, 2, 1, 12)]
    [InlineData(5, 1, 2, 17)]
    [InlineData(5, 2, 0, 16)]
    [InlineData(1, 1, 0, 7)]
    [InlineData(3, 3, 1, 20)]
    public void Conv2dMatchesADirectSumInDouble(int k, int stride, int pad, int size)
    {
        var rng = new RandomStream(23);
        int n = 2, c = 6;
        var x = Tensor.Normal(rng, 0, 1, n, c, size - 2, size);
        var w = Tensor.Normal(rng, 0, 1, c, 1, k, k);
        var b = Tensor.Normal(rng, 0, 1, c);
        var y = x.Conv2d(w, b, stride, pad, groups: c);
        int h = size - 2, wd = size, ho = (h + 2 * pad - k) / stride + 1, wo = (wd + 2 * pad - k) / stride + 1;
        Assert.Equal([n, c, ho, wo], y.Shape.ToArray());
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < ho; oy++)
                    for (int ox = 0; ox < wo; ox++)
                    {
                        double sum = b[ch];
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                            {
                                int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < wd) sum += (double)x[s, ch, iy, ix] * w[ch, 0, ky, kx];
                            }
                        Assert.True(Math.Abs(y[s, ch, oy, ox] - sum) < 1e-5 * (1 + Math.Abs(sum)), $"k {k}, stride {stride}, pad {pad}: ({s}, {ch}, {oy}, {ox}) {y[s, ch, oy, ox]} vs {sum}");
                    }
    }
}
