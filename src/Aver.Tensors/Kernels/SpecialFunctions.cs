namespace Aver.Tensors.Kernels;

/// <summary>Special functions the activations need, computed in double.</summary>
public static class SpecialFunctions
{
    private const float InvSqrt2 = 0.70710678118654752f;

    /// <summary>Standard normal CDF, 0.5 (1 + erf(x / sqrt 2)).</summary>
    public static float NormalCdf(float x) => 0.5f * (1f + (float)Erf(x * InvSqrt2));

    /// <summary>
    /// The error function (.NET has no Math.Erf): Numerical Recipes 3rd ed. section 6.2.2, a
    /// 28-term Chebyshev fit of erfc; absolute error below 1e-15 (checked against Python's math.erf).
    /// </summary>
    public static double Erf(double x)
    {
        if (x >= 0) return 1.0 - ErfcCheb(x);
        return ErfcCheb(-x) - 1.0;
    }

    private static readonly double[] ErfCoefficients =
    [
        -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3,
        -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5,
        -1.624290004647e-6, 1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8,
        6.529054439e-9, 5.059343495e-9, -9.91364156e-10, -2.27365122e-10,
        9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13,
        -1.12708e-13, 3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
    ];

    private static double ErfcCheb(double z)
    {
        double d = 0, dd = 0;
        double t = 2.0 / (2.0 + z), ty = 4.0 * t - 2.0;
        for (int j = ErfCoefficients.Length - 1; j > 0; j--)
        {
            double tmp = d;
            d = ty * d - dd + ErfCoefficients[j];
            dd = tmp;
        }
        return t * Math.Exp(-z * z + 0.5 * (ErfCoefficients[0] + ty * d) - dd);
    }

}
