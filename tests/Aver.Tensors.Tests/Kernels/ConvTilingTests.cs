namespace Aver.Tensors.Tests.Kernels;

using static TestData;

/// <summary>
/// Layers large enough that the convolution splits its output rows into several cache tiles, or
/// small enough that it unfolds several samples into one product, running samples in parallel
/// chunks, checked against a direct six-loop convolution.
/// </summary>
public class ConvTilingTests
{
    [Theory]
    [InlineData(3, 64, 20, 20, 5, 3, 1, 1)]   // 576-row columns: tiles of 11 of 20 output rows
    [InlineData(2, 64, 61, 17, 4, 3, 2, 1)]   // strided, odd sizes: tiles of 25 of 31 rows, the last partial
    [InlineData(2, 16, 30, 30, 3, 5, 1, 2)]   // 5x5 kernel: 3 tiles of 10 rows
    [InlineData(5, 32, 7, 7, 8, 3, 1, 1)]     // 7x7 output (ResNet's last stage): chunks of 2 and 3 samples, each one product
    [InlineData(9, 8, 12, 12, 4, 3, 1, 1)]    // 144 positions: 2 samples per product, chunks of 4 and 5 split 2+2 and 2+2+1
    [InlineData(7, 16, 8, 8, 4, 1, 2, 0)]     // strided 1x1 (ResNet's downsample): all of a chunk's samples in one product
    [InlineData(2, 3, 9, 70, 4, 7, 2, 3)]     // stem-like 7x7/2 over wide rows: vectorised stride-2 gather and scatter plus scalar tails
    [InlineData(1, 8, 5, 40, 4, 3, 2, 1)]     // batch 1, stride 2
    [InlineData(16, 8, 4, 4, 4, 3, 1, 1)]     // ResNet's 4x4 stage: 8 samples per chunk interleaved along the width
    [InlineData(6, 4, 5, 5, 3, 5, 1, 2)]      // 5x5 "same" over 5x5 images: interleaved, every tap partly in the padding
    [InlineData(4, 4, 3, 3, 2, 3, 1, 0)]      // "valid" 3x3 on 3x3: interleaved with output rows shorter than input rows
    [InlineData(8, 8, 7, 7, 4, 3, 2, 1)]      // ResNet's 3x3/2 into the 4x4 stage: samples interleaved as blocks under a strided window
    [InlineData(6, 4, 14, 13, 3, 3, 2, 1)]    // the same with an odd width and uneven chunks
    [InlineData(3, 8, 9, 11, 4, 3, 2, 0)]     // "valid" 3x3/2 from phase planes: outputs narrower than the planes, taps shifted forward
    [InlineData(2, 8, 10, 9, 4, 3, 2, 2)]     // padding 2: two taps of a row read the same phase plane at two shifts
    [InlineData(3, 4, 12, 12, 4, 2, 2, 0)]    // an even 2x2/2 kernel: every tap its own phase plane
    [InlineData(5, 8, 7, 9, 4, 1, 2, 0)]      // 1x1/2 on odd sizes: one phase plane, the odd row and column dropped
    [InlineData(2, 32, 48, 48, 8, 3, 2, 1)]   // FER's 3x3/2 into 24x24: row tiles over phase planes, one sample per product
    public void MatchesDirectConvolution(int n, int c, int h, int wd, int o, int k, int stride, int pad)
    {
        var x = Rand(1, n, c, h, wd); var w = Rand(2, o, c, k, k); var b = Rand(3, o);
        var y = x.Conv2d(w, b, stride, pad);
        var gy = Rand(4, y.Shape.ToArray());
        y.Backward(gy);
        var (ey, egx, egw) = Direct(x, w, b, gy, stride, pad);
        Fixture.AssertClose(ey, y.Data, "output", 1e-4f, 1e-4f);
        Fixture.AssertClose(egx, x.Grad!, "input gradient", 1e-4f, 1e-4f);
        Fixture.AssertClose(egw, w.Grad!, "weight gradient", 1e-4f, 1e-3f);
    }

    // y[n,o,i,j] = b[o] + sum_{c,u,v} x[n,c,i s - p + u, j s - p + v] w[o,c,u,v], and its adjoints, in double.
    internal static (float[] y, float[] gx, float[] gw) Direct(Tensor x, Tensor w, Tensor b, Tensor gy, int s, int p)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0), k = w.Dim(2);
        int oh = gy.Dim(2), ow = gy.Dim(3);
        var y = new float[n * o * oh * ow]; var gx = new double[x.Size]; var gw = new double[w.Size];
        for (int ni = 0; ni < n; ni++)
        for (int oi = 0; oi < o; oi++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            int yi = ((ni * o + oi) * oh + i) * ow + j;
            double sum = b.Data[oi], g = gy.Data[yi];
            for (int ci = 0; ci < c; ci++)
            for (int u = 0; u < k; u++)
            for (int v = 0; v < k; v++)
            {
                int r = i * s - p + u, q = j * s - p + v;
                if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                int xi = ((ni * c + ci) * h + r) * wd + q, wi = ((oi * c + ci) * k + u) * k + v;
                sum += x.Data[xi] * (double)w.Data[wi];
                gx[xi] += g * w.Data[wi];
                gw[wi] += g * x.Data[xi];
            }
            y[yi] = (float)sum;
        }
        return (y, gx.Select(v => (float)v).ToArray(), gw.Select(v => (float)v).ToArray());
    }
}
