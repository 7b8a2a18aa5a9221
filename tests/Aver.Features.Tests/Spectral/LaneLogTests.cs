using Aver.Features.Spectral;
using Aver.Tensors;

namespace Aver.Features.Tests.Spectral;

/// <summary>
/// The front ends' log(x + offset) kernel on every instruction-set path this CPU runs, on odd lengths (partial
/// vectors), against the logarithm in double precision of the float sum: within 1 ulp of the float result,
/// and exactly IEEE's answer at zero, negatives, subnormals, infinity and NaN.
/// </summary>
public class LaneLogTests
{
    [Theory]
    [InlineData(1, 1e-6f)]
    [InlineData(15, 0.01f)]
    [InlineData(37, 1e-6f)]
    [InlineData(1001, 0f)]
    public void AddThenLogIsWithinOneUlpOnEveryPath(int length, float offset)
    {
        // Magnitudes from 1e-12 to 1e12 and values straddling 1 (where log is near zero), as spectra have them.
        var rng = new Random(length);
        var x = new float[length];
        for (int i = 0; i < length; i++)
            x[i] = i % 7 == 0 ? 1f + (float)(rng.NextDouble() - 0.5) * 1e-3f : (float)Math.Exp(rng.NextDouble() * 55 - 27.6);
        foreach (var path in LanePathTests.Paths())
            LanePathTests.WithIsa(path, () =>
            {
                var v = (float[])x.Clone();
                LaneLog.AddThenLog(v, offset);
                for (int i = 0; i < length; i++)
                {
                    float sum = x[i] + offset;
                    double expected = Math.Log(sum);
                    double ulp = MathF.BitIncrement(MathF.Abs((float)expected)) - MathF.Abs((float)expected);
                    Assert.True(Math.Abs(v[i] - expected) <= ulp, $"{path}: log({sum:R}) = {v[i]:R}, expected {expected:R}");
                }
            });
    }

    [Fact]
    public void AddThenLogGivesIeeeAnswersOutsideThePolynomialsDomain()
    {
        float[] special = [0f, -0f, -1f, float.Epsilon, 1e-40f, float.PositiveInfinity, float.NaN, float.NegativeInfinity, 2f, 0.5f];
        // Each special value among ordinary ones, so it falls inside a whole vector on every width.
        var x = new float[40];
        for (int s = 0; s < special.Length; s++)
        {
            for (int i = 0; i < x.Length; i++) x[i] = 1.5f + i;
            x[s * 3 + 1] = special[s];
            foreach (var path in LanePathTests.Paths())
                LanePathTests.WithIsa(path, () =>
                {
                    var v = (float[])x.Clone();
                    LaneLog.AddThenLog(v, 0f);
                    for (int i = 0; i < x.Length; i++)
                    {
                        float expected = MathF.Log(x[i]);
                        Assert.True(expected.Equals(v[i]) || Math.Abs(v[i] - Math.Log(x[i])) <= 1e-6 * Math.Abs(Math.Log(x[i])),
                            $"{path}: log({x[i]:R}) = {v[i]:R}, expected {expected:R}");
                    }
                });
        }
    }
}
