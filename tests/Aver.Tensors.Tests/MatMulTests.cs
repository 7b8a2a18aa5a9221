namespace Aver.Tensors.Tests;

using static TestData;

public class MatMulTests
{
    [Fact] public void MatMulGradients() => AssertGradients(x => x[0].MatMul(x[1]), Rand(1, 3, 4), Rand(2, 4, 5));
    [Fact] public void BatchedMatMulGradients() => AssertGradients(x => x[0].MatMul(x[1]), Rand(1, 2, 3, 4), Rand(2, 2, 4, 5));
    [Fact] public void SharedRightOperandGradients() => AssertGradients(x => x[0].MatMul(x[1]), Rand(1, 2, 3, 4), Rand(2, 4, 5));
    [Fact] public void LinearGradients() => AssertGradients(x => x[0].Linear(x[1], x[2]), Rand(1, 2, 3, 4), Rand(2, 5, 4), Rand(3, 5));

    [Fact]
    public void MatchesNaiveProduct()
    {
        var a = Rand(1, 7, 13); var b = Rand(2, 13, 9);
        var c = a.MatMul(b);
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 9; j++)
            {
                double s = 0;
                for (int k = 0; k < 13; k++) s += a[i, k] * b[k, j];
                Assert.Equal(s, c[i, j], 1e-4);
            }
    }

    [Theory]
    [InlineData(false, false)] [InlineData(true, false)] [InlineData(false, true)] [InlineData(true, true)]
    public void ManagedFallbackAgreesWithOpenBlas(bool ta, bool tb)
    {
        int m = 37, n = 29, k = 41;
        var a = Rand(1, m * k).Data; var b = Rand(2, k * n).Data;
        var c1 = new float[m * n]; var c2 = new float[m * n];
        Array.Fill(c1, 0.5f); Array.Fill(c2, 0.5f);
        Blas.Sgemm(ta, tb, m, n, k, a, b, c1, beta: 0.3f);
        try { Blas.ForceManaged = true; Blas.Sgemm(ta, tb, m, n, k, a, b, c2, beta: 0.3f); }
        finally { Blas.ForceManaged = false; }
        for (int i = 0; i < c1.Length; i++) Assert.Equal(c1[i], c2[i], 1e-4f);
    }

    [Fact]
    public void OpenBlasIsLoadedWhenInstalled()
    {
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0") && Directory.GetFiles("/usr/lib/x86_64-linux-gnu", "libopenblas*.so.0", SearchOption.AllDirectories).Length == 0)
            return; // the library is optional; this checks the loader finds it where setup puts it
        Assert.True(Blas.UsesOpenBlas);
    }

    [Fact]
    public void OnlyOpenBlasIsTakenForProducts()
    {
        // Debian's libblas.so.3 is netlib's reference BLAS when OpenBLAS is absent (15-22x slower than the packed
        // kernel); a loaded library must be OpenBLAS, which can be held to one thread.
        if (Aver.Tensors.Native.OpenBlas.IsAvailable) Assert.True(Aver.Tensors.Native.OpenBlas.ControlsThreads, $"loaded {Aver.Tensors.Native.OpenBlas.LoadedFrom}");
        else Assert.Null(Aver.Tensors.Native.OpenBlas.LoadedFrom);
    }

    [Fact]
    public void TheDescriptionNamesTheCodeThatDoesTheProducts()
    {
        string expected = Aver.Tensors.Native.OpenBlas.IsAvailable ? $"openblas ({Aver.Tensors.Native.OpenBlas.LoadedFrom})"
            : Aver.Tensors.Kernels.PackedGemm.Available ? "packed (no OpenBLAS)" : "managed (no OpenBLAS)";
        Assert.Equal(expected, Blas.Description);
        try
        {
            Blas.ForceManaged = true;
            Assert.Equal("managed (forced)", Blas.Description); // not "no OpenBLAS" while OpenBLAS is loaded
        }
        finally { Blas.ForceManaged = false; }
    }

    [Fact]
    public void MismatchNamesShapes()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("MatMul", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }
}
