using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Testing;

/// <summary>Committed reference values (tests/fixtures/*.safetensors, written by tools/reference) and closeness checks.</summary>
internal static class Fixture
{
    /// <summary>Loads tests/fixtures/<paramref name="relativePath"/>.</summary>
    public static SafeTensorsFile Load(string relativePath) => SafeTensors.Load(Path.Combine(TestPaths.Fixtures, relativePath));

    /// <summary>Asserts |actual - expected| &lt;= atol + rtol * |expected| elementwise, naming the worst element.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, string what, float rtol = 1e-4f, float atol = 1e-5f)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape {ShapeMath.Format(actual.Shape)}, expected {ShapeMath.Format(expected.Shape)}");
        AssertClose(expected.Data, actual.Data, what, rtol, atol);
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, float rtol = 1e-4f, float atol = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = -1; double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs(actual[i] - expected[i]) - (atol + rtol * Math.Abs(expected[i]));
            if (double.IsNaN(actual[i]) || excess > worstExcess) { worst = i; worstExcess = double.IsNaN(actual[i]) ? double.PositiveInfinity : excess; }
        }
        Assert.True(worst < 0, worst < 0 ? "" : $"{what}: element {worst} is {actual[worst]}, expected {expected[worst]} (rtol {rtol}, atol {atol})");
    }
}
