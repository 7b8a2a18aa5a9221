using Aver.Models.Svm;
using Aver.Tensors;

namespace Aver.Models.Tests.Svm;

/// <summary>AVEF's clip-level classifier (§2.2.4) is LIBSVM's C-SVC: checked on problems with known answers.</summary>
public class SvmTests
{
    private static Tensor Rows(params double[][] rows)
    {
        var t = new Tensor(rows.Length, rows[0].Length);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) t.Data[i * rows[0].Length + j] = (float)rows[i][j];
        return t;
    }

    // Four jittered clusters at (±1, ±1); label 1 where x1·x2 > 0 (XOR): no line separates them, a degree-2 polynomial does.
    private static (Tensor X, int[] Y) Xor(int perCorner = 10, ulong seed = 5)
    {
        var rng = new RandomStream(seed);
        var x = new Tensor(4 * perCorner, 2);
        var y = new int[4 * perCorner];
        int i = 0;
        foreach (var (a, b) in new[] { (1, 1), (-1, -1), (1, -1), (-1, 1) })
            for (int k = 0; k < perCorner; k++, i++)
            {
                x.Data[2 * i] = a + 0.2f * (float)rng.NextNormal();
                x.Data[2 * i + 1] = b + 0.2f * (float)rng.NextNormal();
                y[i] = a * b > 0 ? 1 : 0;
            }
        return (x, y);
    }

    private static readonly SvmParameters Quadratic = new(SvmKernel.Polynomial, Degree: 2, Gamma: 1, Coef0: 1, C: 10);

    [Fact]
    public void PolynomialKernelOfDegreeTwoSolvesXorWithProbabilitiesThatSumToOne()
    {
        var (x, y) = Xor();
        using var svm = SvmClassifier.Train(x, y, Quadratic);
        Assert.Equal(y, svm.Predict(x));
        Assert.True(svm.HasProbability);
        var p = svm.PredictProbabilities(x);
        Assert.Equal([x.Dim(0), 2], p.Shape.ToArray());
        for (int i = 0; i < x.Dim(0); i++)
        {
            Assert.Equal(1f, p[i, 0] + p[i, 1], 1e-5f);
            Assert.True(p[i, y[i]] > 0.5f, $"row {i}: p(true class {y[i]}) = {p[i, y[i]]}");
        }
    }

    [Fact]
    public void LinearKernelCannotSolveXor()
    {
        var (x, y) = Xor();
        using var svm = SvmClassifier.Train(x, y, new SvmParameters(SvmKernel.Linear, C: 10, Probability: false));
        int correct = svm.Predict(x).Zip(y).Count(t => t.First == t.Second);
        Assert.True(correct < x.Dim(0) * 0.8, $"a line classified {correct} of {x.Dim(0)} XOR points");
    }

    [Fact]
    public void LinearCSvcFindsTheMaximumMarginHyperplane()
    {
        // Positives (2,2), (3,3), (2,3); negatives (0,0), (-1,0), (0,-1). The closest pair of the two hulls
        // is (0,0)-(2,2), so the hard-margin hyperplane is their bisector x1 + x2 = 2, with f(2,2) = 1 and
        // f(0,0) = -1: f(x) = 0.5 x1 + 0.5 x2 - 1 for the positive class.
        var x = Rows([2, 2], [3, 3], [2, 3], [0, 0], [-1, 0], [0, -1]);
        int[] y = [1, 1, 1, 0, 0, 0];
        using var svm = SvmClassifier.Train(x, y, new SvmParameters(SvmKernel.Linear, C: 1000, Eps: 1e-6, Probability: false));
        Assert.Equal(y, svm.Predict(x));
        Assert.Equal([1, 0], svm.ModelLabelOrder); // first appearance; decision values favour label 1
        Assert.Equal(2, svm.SupportVectorCount); // (2,2) and (0,0): the only points on the margins x1 + x2 = 4 and 0
        var queries = Rows([1, 1], [4, 0], [0, 4], [1, 0], [3, -2], [2, 2], [0, 0], [-3, 1]);
        double[] expected = [0, 1, 1, -0.5, -0.5, 1, -1, -2];
        var f = svm.DecisionValues(queries);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], f[i, 0], 1e-3);
        Assert.Equal([1, 1, 0, 0, 1, 0, 0], svm.Predict(Rows([1.1, 1], [4, 0], [1, 0], [3, -2], [2, 2], [0, 0], [-3, 1])));
    }

    [Fact]
    public void ProbabilityColumnsFollowLabelValuesWhateverOrderLibsvmSawThem()
    {
        var rng = new RandomStream(9);
        (double, double)[] centres = [(4, 0), (0, 4), (-4, -4)];
        int[] firstLabels = [2, 0, 1]; // LIBSVM orders classes by first appearance: 2, 0, 1
        var x = new Tensor(60, 2);
        var y = new int[60];
        for (int i = 0; i < 60; i++)
        {
            int c = i % 3;
            y[i] = firstLabels[c];
            x.Data[2 * i] = (float)(centres[c].Item1 + 0.5 * rng.NextNormal());
            x.Data[2 * i + 1] = (float)(centres[c].Item2 + 0.5 * rng.NextNormal());
        }
        using var svm = SvmClassifier.Train(x, y, new SvmParameters(SvmKernel.Polynomial, Degree: 2, Coef0: 1, C: 1), seed: 3);
        Assert.Equal([2, 0, 1], svm.ModelLabelOrder);
        Assert.Equal([0, 1, 2], svm.Labels);
        Assert.Equal(3, svm.DecisionValues(x).Dim(1));
        var p = svm.PredictProbabilities(Rows([4, 0], [0, 4], [-4, -4]));
        for (int i = 0; i < 3; i++)
        {
            float sum = p[i, 0] + p[i, 1] + p[i, 2];
            Assert.Equal(1f, sum, 1e-5f);
            int argmax = p[i, 0] >= p[i, 1] && p[i, 0] >= p[i, 2] ? 0 : p[i, 1] >= p[i, 2] ? 1 : 2;
            Assert.Equal(firstLabels[i], argmax);
        }
    }

    [Fact]
    public void TrainingIsAFunctionOfTheDataAndTheSeed()
    {
        var (x, y) = Xor();
        using var a = SvmClassifier.Train(x, y, Quadratic, seed: 7);
        using var b = SvmClassifier.Train(x, y, Quadratic, seed: 7);
        Assert.Equal(a.PredictProbabilities(x).Data, b.PredictProbabilities(x).Data);
    }

    [Fact]
    public void SaveAndLoadRoundTripAtomically()
    {
        var (x, y) = Xor();
        var dir = Directory.CreateTempSubdirectory("aver-svm-").FullName;
        try
        {
            var path = Path.Combine(dir, "clip.svm");
            using (var svm = SvmClassifier.Train(x, y, Quadratic))
            {
                svm.Save(path);
                svm.Save(path); // overwrite in place
                using var loaded = SvmClassifier.Load(path);
                Assert.Equal(svm.Predict(x), loaded.Predict(x));
                // The text format rounds the coefficients (LIBSVM prints them with %g precision).
                Fixture.AssertClose(svm.PredictProbabilities(x), loaded.PredictProbabilities(x), "probabilities after reload", 1e-5f, 1e-6f);
                Fixture.AssertClose(svm.DecisionValues(x), loaded.DecisionValues(x), "decision values after reload", 1e-5f, 1e-6f);
                // LIBSVM's file keeps the kernel (not the training-only C, eps, cache, shrinking).
                var (s, l) = (svm.Parameters, loaded.Parameters);
                Assert.Equal((s.Kernel, s.Degree, s.Gamma, s.Coef0, s.Probability), (l.Kernel, l.Degree, l.Gamma, l.Coef0, l.Probability));
            }
            Assert.Equal(["clip.svm"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Contains("kernel_type polynomial", File.ReadAllText(path));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public unsafe void StructLayoutsAgreeWithLibsvm()
    {
        Assert.Equal(16, sizeof(SvmNode));
        Assert.Equal(24, sizeof(SvmProblem));
        Assert.Equal(104, sizeof(SvmParameterNative));
        Assert.Equal(184, sizeof(SvmModelNative));
        var (x, y) = Xor();
        using var svm = SvmClassifier.Train(x, y, Quadratic);
        // The fields read through our svm_model layout equal what LIBSVM's own accessors report.
        var model = GetModel(svm);
        var api = LibSvmNative.Functions;
        Assert.Equal(324, api.Version);
        Assert.Equal(api.GetNrClass(model), model->NrClass);
        Assert.Equal(api.GetNrSv(model), model->L);
        Assert.Equal(0, model->FreeSv); // support vectors point into our node memory
        Assert.Equal(model->L, model->NSV[0] + model->NSV[1]);
        Assert.Equal(2, model->Param.Degree);
        Assert.Equal(1.0, model->Param.Gamma);
        Assert.Equal(1.0, model->Param.Coef0);
        Assert.Equal(10.0, model->Param.C);
        Assert.Equal(1, model->Param.Probability);
    }

    private static unsafe SvmModelNative* GetModel(SvmClassifier svm)
    {
        var field = typeof(SvmClassifier).GetField("_handle", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        return ((SvmModelHandle)field.GetValue(svm)!).Model;
    }

    [Fact]
    public void BadParametersAndFilesFailWithClearMessages()
    {
        var (x, y) = Xor();
        var e = Assert.Throws<SvmException>(() => SvmClassifier.Train(x, y, Quadratic with { C = -1 }));
        Assert.Contains("C <= 0", e.Message);
        Assert.Throws<ArgumentException>(() => SvmClassifier.Train(x, new int[x.Dim(0)], Quadratic));
        Assert.Throws<ArgumentException>(() => SvmClassifier.Train(x, y[..3], Quadratic));
        Assert.Throws<FileNotFoundException>(() => SvmClassifier.Load("/nonexistent/model.svm"));
        var bad = Path.GetTempFileName();
        try
        {
            File.WriteAllText(bad, "not a model\n");
            Assert.Throws<SvmException>(() => SvmClassifier.Load(bad));
        }
        finally { File.Delete(bad); }
        using var noProb = SvmClassifier.Train(x, y, Quadratic with { Probability = false });
        Assert.Throws<InvalidOperationException>(() => noProb.PredictProbabilities(x));
    }

    [Fact]
    public void DisposedModelRefusesWork()
    {
        var (x, y) = Xor();
        var svm = SvmClassifier.Train(x, y, Quadratic);
        svm.Dispose();
        svm.Dispose();
        Assert.Throws<ObjectDisposedException>(() => svm.Predict(x));
    }

    [Fact]
    public void AMissingLibraryIsNamedWithTheFix()
    {
        var e = Assert.Throws<LibSvmUnavailableException>(() => LibSvmNative.LoadApi(["libsvm-does-not-exist.so.9"]));
        Assert.Contains("libsvm3", e.Message);
        Assert.Contains("libsvm-does-not-exist.so.9", e.Message);
    }
}
