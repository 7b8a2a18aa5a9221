using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests.Kernels;

/// <summary>
/// The unary, unary-gradient and affine family loops: every operator against a scalar reference in
/// double on lengths that leave every remainder (0, 1, 7, 33, 1000), forced through each instruction-set
/// path the CPU supports (512-, 256- and 128-bit vectors), and every path bit for bit equal to the
/// operator's scalar form, special values (NaN, signed zeros, infinities) included.
/// </summary>
public class ElementwiseFamilyTests
{
    private static readonly int[] Lengths = [0, 1, 7, 33, 1000];
    private const float A = 0.3f;

    private delegate void Kernel(float[] x, float[] y, float[] g, float[] d);

    /// <summary>Name, kernel (inputs x, y, g -> d), reference in double of element i, input range.</summary>
    private static readonly (string Name, Kernel Run, Func<double, double, double, double> Reference, float Lo, float Hi)[] Ops =
    [
        ("LeakyRelu", (x, y, g, d) => UnaryKernels.Map<LeakyReluOperator>(x, A, d), (x, y, g) => x > 0 ? x : A * x, -3, 3),
        ("Elu", (x, y, g, d) => UnaryKernels.Map<EluOperator>(x, A, d), (x, y, g) => x > 0 ? x : A * (Math.Exp(x) - 1), -3, 3),
        ("GeluTanh", (x, y, g, d) => UnaryKernels.Map<GeluTanhOperator>(x, 0f, d), (x, y, g) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), -3, 3),
        ("ReluGradient", (x, y, g, d) => UnaryKernels.Gradient<ReluGradient>([], y, g, 0f, d), (x, y, g) => y > 0 ? g : 0, -3, 3),
        ("AbsGradient", (x, y, g, d) => UnaryKernels.Gradient<AbsGradient>(x, [], g, 0f, d), (x, y, g) => Math.Sign(x) * g, -3, 3),
        ("SqrtGradient", (x, y, g, d) => UnaryKernels.Gradient<SqrtGradient>(x, y, g, 0f, d), (x, y, g) => g / (2 * Math.Sqrt(x)), 0.1f, 3),
        ("SigmoidGradient", (x, y, g, d) => UnaryKernels.Gradient<SigmoidGradient>(x, y, g, 0f, d), (x, y, g) => g * Sigmoid(x) * (1 - Sigmoid(x)), -3, 3),
        ("TanhGradient", (x, y, g, d) => UnaryKernels.Gradient<TanhGradient>(x, y, g, 0f, d), (x, y, g) => g * (1 - Math.Tanh(x) * Math.Tanh(x)), -3, 3),
        ("ExpGradient", (x, y, g, d) => UnaryKernels.Gradient<ExpGradient>(x, y, g, 0f, d), (x, y, g) => g * Math.Exp(x), -3, 3),
        ("LogGradient", (x, y, g, d) => UnaryKernels.Gradient<LogGradient>(x, y, g, 0f, d), (x, y, g) => g / x, 0.1f, 3),
        ("LeakyReluGradient", (x, y, g, d) => UnaryKernels.Gradient<LeakyReluGradient>(x, y, g, A, d), (x, y, g) => x > 0 ? g : A * g, -3, 3),
        ("EluGradient", (x, y, g, d) => UnaryKernels.Gradient<EluGradient>(x, y, g, A, d), (x, y, g) => x > 0 ? g : g * A * Math.Exp(x), -3, 3),
        ("GeluTanhGradient", (x, y, g, d) => UnaryKernels.Gradient<GeluTanhGradient>(x, y, g, 0f, d), (x, y, g) => g * GeluTanhDerivative(x), -3, 3),
        ("ScaleShift", (x, y, g, d) => AffineKernels.Apply<ScaleShiftOperator>(x, [], 1.7f, -0.4f, 9f, d), (x, y, g) => 1.7 * x - 0.4, -3, 3),
        ("ScaleShiftRelu", (x, y, g, d) => AffineKernels.Apply<ScaleShiftReluOperator>(x, [], 1.7f, -0.4f, 9f, d), (x, y, g) => Math.Max(1.7 * x - 0.4, 0), -3, 3),
        ("ScaleShiftAdd", (x, y, g, d) => AffineKernels.Apply<ScaleShiftAddOperator>(x, g, 1.7f, -0.4f, 9f, d), (x, y, g) => 1.7 * x - 0.4 + g, -3, 3),
        ("ScaleShiftAddRelu", (x, y, g, d) => AffineKernels.Apply<ScaleShiftAddReluOperator>(x, g, 1.7f, -0.4f, 9f, d), (x, y, g) => Math.Max(1.7 * x - 0.4 + g, 0), -3, 3),
        ("Combine", (x, y, g, d) => AffineKernels.Apply<CombineOperator>(g, x, 1.7f, -0.4f, 0.25f, d), (x, y, g) => 1.7 * g - 0.4 * x + 0.25, -3, 3),
        ("AddRelu", (x, y, g, d) => AffineKernels.Apply<AddReluOperator>(x, g, 9f, 9f, 9f, d), (x, y, g) => Math.Max(x + g, 0), -3, 3),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var op in Ops) data.Add(op.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryPathMatchesTheDoubleReferenceOnEveryLength(string name)
    {
        var op = Array.Find(Ops, o => o.Name == name);
        foreach (var path in Paths())
            foreach (int n in Lengths)
            {
                var (x, y, g) = Inputs(name, n, op.Lo, op.Hi);
                var d = new float[n];
                WithIsa(path, () => op.Run(x, y, g, d));
                for (int i = 0; i < n; i++)
                {
                    double expected = op.Reference(x[i], y[i], g[i]);
                    Assert.True(Math.Abs(d[i] - expected) <= 2e-6 + 2e-6 * Math.Abs(expected),
                        $"{name}, {path}, length {n}, element {i}: x {x[i]}, got {d[i]}, expected {expected}");
                }
            }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryPathGivesTheScalarPathsBitsOnSpecialValues(string name)
    {
        var op = Array.Find(Ops, o => o.Name == name);
        float[] specials = [float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1e-30f, -1e-30f, 2.5f, -2.5f, float.MaxValue];
        int n = 41; // whole 16-, 8- and 4-wide vectors and a remainder
        var x = new float[n]; var y = new float[n]; var g = new float[n];
        for (int i = 0; i < n; i++) { x[i] = specials[i % specials.Length]; y[i] = specials[(3 * i + 1) % specials.Length]; g[i] = specials[(7 * i + 2) % specials.Length]; }
        var scalar = new float[n];
        // One element at a time only ever reaches the scalar remainder loop.
        for (int i = 0; i < n; i++)
        {
            var d1 = new float[1];
            op.Run(name is "ReluGradient" ? [] : [x[i]], [y[i]], [g[i]], d1);
            scalar[i] = d1[0];
        }
        foreach (var path in Paths())
        {
            var d = new float[n];
            WithIsa(path, () => op.Run(name is "ReluGradient" ? [] : x, y, g, d));
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.SingleToInt32Bits(d[i]) == BitConverter.SingleToInt32Bits(scalar[i]),
                    $"{name}, {path}, element {i}: x {x[i]}, y {y[i]}, g {g[i]}: {d[i]} against the scalar form's {scalar[i]}");
        }
    }

    private static (float[] X, float[] Y, float[] G) Inputs(string name, int n, float lo, float hi)
    {
        var rng = new RandomStream((ulong)(n + 1));
        var x = new float[n]; var g = new float[n];
        rng.FillUniform(x, lo, hi);
        rng.FillUniform(g, -2f, 2f);
        var y = new float[n];
        for (int i = 0; i < n; i++)
            y[i] = name switch
            {
                "ReluGradient" => MathF.Max(x[i], 0f),
                "SqrtGradient" => MathF.Sqrt(x[i]),
                "SigmoidGradient" => (float)Sigmoid(x[i]),
                "TanhGradient" => MathF.Tanh(x[i]),
                "ExpGradient" => MathF.Exp(x[i]),
                "EluGradient" => x[i] > 0 ? x[i] : A * (MathF.Exp(x[i]) - 1f),
                _ => 0f,
            };
        return (x, y, g);
    }

    private static IEnumerable<IsaPath> Paths() => Enum.GetValues<IsaPath>().Where(p => p <= CpuFeatures.Supported);

    private static void WithIsa(IsaPath path, Action run)
    {
        var saved = Engine.Isa;
        try { Engine.Isa = path; run(); }
        finally { Engine.Isa = saved; }
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double GeluTanhDerivative(double x)
    {
        double k = Math.Sqrt(2 / Math.PI), t = Math.Tanh(k * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
    }
}
