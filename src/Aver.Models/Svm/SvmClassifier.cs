using System.Runtime.InteropServices;
using System.Text;
using Aver.Tensors;

namespace Aver.Models.Svm;

/// <summary>
/// A multi-class C-SVC trained and evaluated by LIBSVM (Chang &amp; Lin), the library AVEF used for
/// its clip-level fusion (§2.2.4): one-against-one over the classes, optional probability outputs
/// (<c>-b 1</c>). Class labels are non-negative integers (indices into the experiment's label space);
/// probability columns are ordered by label value. Holds native memory: dispose it.
/// </summary>
public sealed unsafe class SvmClassifier : IDisposable
{
    private static readonly object TrainLock = new(); // C's rand() and LIBSVM's print hook are process-wide
    private readonly SvmModelHandle _handle;
    private readonly int[] _modelOrder; // LIBSVM's class order (first appearance in the training labels)
    private readonly int[] _columnOf;   // model class index -> output column (ascending label)

    private SvmClassifier(SvmModelHandle handle)
    {
        _handle = handle;
        var api = LibSvmNative.Functions;
        int k = api.GetNrClass(handle.Model);
        _modelOrder = new int[k];
        fixed (int* p = _modelOrder) api.GetLabels(handle.Model, p);
        Labels = _modelOrder.Order().ToArray();
        _columnOf = _modelOrder.Select(l => Array.BinarySearch((int[])Labels, l)).ToArray();
        HasProbability = api.CheckProbabilityModel(handle.Model) != 0;
    }

    /// <summary>The class labels, ascending: the columns of <see cref="PredictProbabilities"/>.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>LIBSVM's own class order (the order of the pairwise decision values).</summary>
    public IReadOnlyList<int> ModelLabelOrder => _modelOrder;

    public int ClassCount => _modelOrder.Length;

    /// <summary>True when trained with <see cref="SvmParameters.Probability"/>.</summary>
    public bool HasProbability { get; }

    /// <summary>Number of support vectors.</summary>
    public int SupportVectorCount => LibSvmNative.Functions.GetNrSv(_handle.Model);

    /// <summary>The kernel and its parameters as LIBSVM holds them (gamma resolved).</summary>
    public SvmParameters Parameters
    {
        get
        {
            var p = _handle.Model->Param;
            return new SvmParameters((SvmKernel)p.KernelType, p.Degree, p.Gamma, p.Coef0, p.C, p.Eps, p.CacheSize, p.Shrinking != 0, HasProbability);
        }
    }

    /// <summary>
    /// Trains on <paramref name="features"/> [N, D] with <paramref name="labels"/> (N non-negative
    /// integers, at least two distinct). <paramref name="seed"/> seeds C's rand(), which LIBSVM's
    /// probability fitting shuffles with, so the model is a function of the data and the seed.
    /// </summary>
    public static SvmClassifier Train(Tensor features, IReadOnlyList<int> labels, SvmParameters parameters, uint seed = 0)
    {
        if (features.Rank != 2) throw new ShapeException($"SvmClassifier.Train: expects features [N, D], got {ShapeMath.Format(features.Shape)}");
        int n = features.Dim(0), d = features.Dim(1);
        if (labels.Count != n) throw new ArgumentException($"SvmClassifier.Train: {labels.Count} labels for {n} feature rows");
        if (labels.Any(l => l < 0)) throw new ArgumentException("SvmClassifier.Train: labels must be non-negative class indices");
        if (labels.Distinct().Count() < 2) throw new ArgumentException("SvmClassifier.Train: needs at least two classes");
        CheckFinite(features.Data, "SvmClassifier.Train");
        var api = LibSvmNative.Functions;

        long count = n;
        foreach (float v in features.Data) if (v != 0) count++;
        var nodes = (SvmNode*)NativeMemory.Alloc((nuint)count, (nuint)sizeof(SvmNode));
        var rows = (SvmNode**)NativeMemory.Alloc((nuint)Math.Max(n, 1), (nuint)sizeof(SvmNode*));
        var y = (double*)NativeMemory.Alloc((nuint)Math.Max(n, 1), sizeof(double));
        bool owned = false;
        try
        {
            var next = nodes;
            for (int i = 0; i < n; i++)
            {
                rows[i] = next;
                y[i] = labels[i];
                next += Fill(features.Data.AsSpan(i * d, d), next);
            }
            var problem = new SvmProblem { L = n, Y = y, X = rows };
            var param = ToNative(parameters, d);
            byte* error = api.CheckParameter(&problem, &param);
            if (error != null) throw new SvmException($"LIBSVM rejects the parameters {parameters}: {Marshal.PtrToStringUTF8((nint)error)}");
            SvmModelNative* model;
            lock (TrainLock)
            {
                if (api.SeedRandom != null) api.SeedRandom(seed);
                model = api.Train(&problem, &param);
            }
            if (model == null) throw new SvmException("LIBSVM's svm_train returned no model");
            var handle = new SvmModelHandle(model, nodes);
            owned = true;
            return new SvmClassifier(handle);
        }
        finally
        {
            NativeMemory.Free(rows);
            NativeMemory.Free(y);
            if (!owned) NativeMemory.Free(nodes);
        }
    }

    /// <summary>Loads a model written by <see cref="Save"/> (or by LIBSVM's svm-train).</summary>
    public static SvmClassifier Load(string path)
    {
        var api = LibSvmNative.Functions;
        if (!File.Exists(path)) throw new FileNotFoundException($"SVM model file not found: {path}", path);
        SvmModelNative* model;
        fixed (byte* p = CString(Path.GetFullPath(path))) model = api.LoadModel(p);
        if (model == null) throw new SvmException($"{path}: LIBSVM cannot read this model file");
        return new SvmClassifier(new SvmModelHandle(model, null));
    }

    /// <summary>The model in LIBSVM's text format (LIBSVM writes only files: through a private temporary one).</summary>
    public string ToText()
    {
        string temp = Path.Combine(Path.GetTempPath(), $"aver-svm-{Guid.NewGuid():N}.model");
        try { Save(temp); return File.ReadAllText(temp); }
        finally { File.Delete(temp); }
    }

    /// <summary>A model from LIBSVM's text format (<see cref="ToText"/>); <paramref name="source"/> names its file in errors.</summary>
    public static SvmClassifier FromText(string text, string source)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"aver-svm-{Guid.NewGuid():N}.model");
        try
        {
            File.WriteAllText(temp, text);
            try { return Load(temp); }
            catch (SvmException) { throw new InvalidDataException($"{source}: its SVM is not a LIBSVM model LIBSVM can read"); }
        }
        finally { File.Delete(temp); }
    }

    /// <summary>Writes the model in LIBSVM's text format, atomically (a temporary file in the same folder, then renamed).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            int rc;
            fixed (byte* p = CString(tmp)) rc = LibSvmNative.Functions.SaveModel(p, _handle.Model);
            if (rc != 0) throw new SvmException($"{path}: LIBSVM could not write the model (svm_save_model returned {rc})");
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Predicted labels [N] of <paramref name="features"/> [N, D] by one-against-one voting (LIBSVM's svm_predict).</summary>
    public int[] Predict(Tensor features)
    {
        var result = new int[CheckRows(features, "Predict")];
        var dec = new double[Math.Max(1, ClassCount * (ClassCount - 1) / 2)];
        ForEachRow(features, (i, x) =>
        {
            fixed (double* pd = dec) result[i] = (int)LibSvmNative.Functions.PredictValues(_handle.Model, x, pd);
        });
        return result;
    }

    /// <summary>
    /// Class probabilities [N, ClassCount] (columns in <see cref="Labels"/> order, rows sum to 1) from
    /// LIBSVM's pairwise coupling of Platt-scaled decision values. Needs a model trained with probabilities.
    /// </summary>
    public Tensor PredictProbabilities(Tensor features)
    {
        if (!HasProbability) throw new InvalidOperationException("SvmClassifier: this model was trained without probability estimates (SvmParameters.Probability)");
        int n = CheckRows(features, "PredictProbabilities"), k = ClassCount;
        var output = new Tensor(n, k);
        var prob = new double[k];
        ForEachRow(features, (i, x) =>
        {
            fixed (double* pp = prob) LibSvmNative.Functions.PredictProbability(_handle.Model, x, pp);
            for (int c = 0; c < k; c++) output.Data[i * k + _columnOf[c]] = (float)prob[c];
        });
        return output;
    }

    /// <summary>
    /// The one-against-one decision values [N, k(k−1)/2], pairs (i, j), i &lt; j, in <see cref="ModelLabelOrder"/>;
    /// positive favours the pair's first class. For two classes, one column: positive means <c>ModelLabelOrder[0]</c>.
    /// </summary>
    public Tensor DecisionValues(Tensor features)
    {
        int n = CheckRows(features, "DecisionValues"), pairs = ClassCount * (ClassCount - 1) / 2;
        var output = new Tensor(n, pairs);
        var dec = new double[pairs];
        ForEachRow(features, (i, x) =>
        {
            fixed (double* pd = dec) LibSvmNative.Functions.PredictValues(_handle.Model, x, pd);
            for (int p = 0; p < pairs; p++) output.Data[i * pairs + p] = (float)dec[p];
        });
        return output;
    }

    public void Dispose() => _handle.Dispose();

    private delegate void RowAction(int row, SvmNode* nodes);

    // Converts each row to LIBSVM's sparse form in one reused, pinned buffer (LIBSVM keeps no pointer into it).
    private void ForEachRow(Tensor features, RowAction action)
    {
        int n = features.Dim(0), d = features.Dim(1);
        var buffer = new SvmNode[d + 1];
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (SvmNode* nodes = buffer)
                for (int i = 0; i < n; i++)
                {
                    Fill(features.Data.AsSpan(i * d, d), nodes);
                    action(i, nodes);
                }
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    private static int CheckRows(Tensor features, string what)
    {
        if (features.Rank != 2) throw new ShapeException($"SvmClassifier.{what}: expects features [N, D], got {ShapeMath.Format(features.Shape)}");
        CheckFinite(features.Data, $"SvmClassifier.{what}");
        return features.Dim(0);
    }

    // Writes the non-zero entries (1-based indices) and the −1 terminator; returns the nodes written.
    private static int Fill(ReadOnlySpan<float> row, SvmNode* dst)
    {
        int w = 0;
        for (int j = 0; j < row.Length; j++)
            if (row[j] != 0) dst[w++] = new SvmNode { Index = j + 1, Value = row[j] };
        dst[w++] = new SvmNode { Index = -1 };
        return w;
    }

    private static SvmParameterNative ToNative(SvmParameters p, int features) => new()
    {
        SvmType = LibSvmNative.CSvc,
        KernelType = (int)p.Kernel,
        Degree = p.Degree,
        Gamma = p.Gamma ?? 1.0 / Math.Max(1, features),
        Coef0 = p.Coef0,
        CacheSize = p.CacheSizeMb,
        Eps = p.Eps,
        C = p.C,
        Nu = 0.5,
        P = 0.1,
        Shrinking = p.Shrinking ? 1 : 0,
        Probability = p.Probability ? 1 : 0,
    };

    private static void CheckFinite(ReadOnlySpan<float> data, string what)
    {
        foreach (float v in data)
            if (!float.IsFinite(v)) throw new ArgumentException($"{what}: features contain {v}");
    }

    private static byte[] CString(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
