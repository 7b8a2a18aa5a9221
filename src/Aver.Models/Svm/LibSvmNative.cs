using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: InternalsVisibleTo("Aver.Models.Tests")]

namespace Aver.Models.Svm;

// The C structures of LIBSVM 3.24's svm.h (Debian libsvm3 3.24+ds), field for field; x86-64 natural
// alignment, which LayoutKind.Sequential reproduces. (LIBSVM 3.30 appended prob_density_marks to
// svm_model; only pointers to svm_model cross this boundary, and ModelView reads the 3.24 prefix.)

/// <summary><c>struct svm_node { int index; double value; }</c>: one non-zero feature; index −1 ends a vector.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SvmNode
{
    public int Index;
    public double Value;
}

/// <summary><c>struct svm_problem { int l; double *y; struct svm_node **x; }</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SvmProblem
{
    public int L;
    public double* Y;
    public SvmNode** X;
}

/// <summary><c>struct svm_parameter</c> (svm_type C_SVC = 0; kernel_type LINEAR 0, POLY 1, RBF 2, SIGMOID 3).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SvmParameterNative
{
    public int SvmType;
    public int KernelType;
    public int Degree;
    public double Gamma;
    public double Coef0;
    public double CacheSize;
    public double Eps;
    public double C;
    public int NrWeight;
    public int* WeightLabel;
    public double* Weight;
    public double Nu;
    public double P;
    public int Shrinking;
    public int Probability;
}

/// <summary><c>struct svm_model</c> of LIBSVM 3.24 (read-only view; LIBSVM allocates it).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SvmModelNative
{
    public SvmParameterNative Param;
    public int NrClass;
    public int L;
    public SvmNode** SV;
    public double** SvCoef;
    public double* Rho;
    public double* ProbA;
    public double* ProbB;
    public int* SvIndices;
    public int* Label;
    public int* NSV;
    public int FreeSv;
}

/// <summary>
/// LIBSVM's entry points, resolved at run time from <c>libsvm.so.3</c> (Debian's <c>libsvm3</c>), so a
/// machine without it fails with <see cref="LibSvmUnavailableException"/> when an SVM is first used,
/// not when Aver starts. LIBSVM's progress printing is silenced once on load.
/// </summary>
internal static unsafe class LibSvmNative
{
    public const int CSvc = 0;

    private static readonly string[] Candidates = ["libsvm.so.3", "libsvm.so"];
    private static readonly Lazy<Api> Loaded = new(() => LoadApi(Candidates), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The library's entry points; throws <see cref="LibSvmUnavailableException"/> when it cannot be loaded.</summary>
    public static Api Functions => Loaded.Value;

    /// <summary>True when libsvm.so.3 can be loaded.</summary>
    public static bool IsAvailable
    {
        get
        {
            try { _ = Loaded.Value; return true; }
            catch (LibSvmUnavailableException) { return false; }
        }
    }

    internal sealed class Api
    {
        public required string LoadedFrom;
        public required int Version;
        public required delegate* unmanaged<SvmProblem*, SvmParameterNative*, SvmModelNative*> Train;
        public required delegate* unmanaged<SvmProblem*, SvmParameterNative*, byte*> CheckParameter;
        public required delegate* unmanaged<SvmModelNative*, SvmNode*, double*, double> PredictProbability;
        public required delegate* unmanaged<SvmModelNative*, SvmNode*, double*, double> PredictValues;
        public required delegate* unmanaged<SvmModelNative*, int> CheckProbabilityModel;
        public required delegate* unmanaged<SvmModelNative*, int> GetNrClass;
        public required delegate* unmanaged<SvmModelNative*, int*, void> GetLabels;
        public required delegate* unmanaged<SvmModelNative*, int> GetNrSv;
        public required delegate* unmanaged<SvmModelNative**, void> FreeAndDestroyModel;
        public required delegate* unmanaged<byte*, SvmModelNative*, int> SaveModel;
        public required delegate* unmanaged<byte*, SvmModelNative*> LoadModel;
        public required delegate* unmanaged<uint, void> SeedRandom;
    }

    /// <summary>Loads the first of <paramref name="candidates"/> that is a LIBSVM 3.x library.</summary>
    internal static Api LoadApi(IReadOnlyList<string> candidates)
    {
        foreach (var name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var h)) continue;
            var api = new Api
            {
                LoadedFrom = name,
                Version = *(int*)Export(h, name, "libsvm_version"),
                Train = (delegate* unmanaged<SvmProblem*, SvmParameterNative*, SvmModelNative*>)Export(h, name, "svm_train"),
                CheckParameter = (delegate* unmanaged<SvmProblem*, SvmParameterNative*, byte*>)Export(h, name, "svm_check_parameter"),
                PredictProbability = (delegate* unmanaged<SvmModelNative*, SvmNode*, double*, double>)Export(h, name, "svm_predict_probability"),
                PredictValues = (delegate* unmanaged<SvmModelNative*, SvmNode*, double*, double>)Export(h, name, "svm_predict_values"),
                CheckProbabilityModel = (delegate* unmanaged<SvmModelNative*, int>)Export(h, name, "svm_check_probability_model"),
                GetNrClass = (delegate* unmanaged<SvmModelNative*, int>)Export(h, name, "svm_get_nr_class"),
                GetLabels = (delegate* unmanaged<SvmModelNative*, int*, void>)Export(h, name, "svm_get_labels"),
                GetNrSv = (delegate* unmanaged<SvmModelNative*, int>)Export(h, name, "svm_get_nr_sv"),
                FreeAndDestroyModel = (delegate* unmanaged<SvmModelNative**, void>)Export(h, name, "svm_free_and_destroy_model"),
                SaveModel = (delegate* unmanaged<byte*, SvmModelNative*, int>)Export(h, name, "svm_save_model"),
                LoadModel = (delegate* unmanaged<byte*, SvmModelNative*>)Export(h, name, "svm_load_model"),
                SeedRandom = LoadSrand(),
            };
            if (api.Version / 100 != 3)
                throw new LibSvmUnavailableException($"{name} is LIBSVM version {api.Version}; Aver's struct layouts are those of LIBSVM 3.x");
            var setPrint = (delegate* unmanaged<delegate* unmanaged<byte*, void>, void>)Export(h, name, "svm_set_print_string_function");
            setPrint(&Quiet);
            return api;
        }
        throw new LibSvmUnavailableException(
            $"LIBSVM not found (tried {string.Join(", ", candidates)}): AVEF's clip-level SVM needs Debian's libsvm3 (apt-get install libsvm3, or run ./setup.sh)");
    }

    private static nint Export(nint handle, string lib, string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out var p) ? p
            : throw new LibSvmUnavailableException($"{lib} has no '{symbol}': not a LIBSVM 3.x library");

    // LIBSVM's probability estimates shuffle with C's rand() (an internal 5-fold cross-validation);
    // seeding it before training makes a trained model a function of Aver's seed.
    private static delegate* unmanaged<uint, void> LoadSrand()
    {
        foreach (var libc in new[] { "libc.so.6", "libc" })
            if (NativeLibrary.TryLoad(libc, out var h) && NativeLibrary.TryGetExport(h, "srand", out var p))
                return (delegate* unmanaged<uint, void>)p;
        return null;
    }

    [UnmanagedCallersOnly]
    private static void Quiet(byte* message) { }
}

/// <summary>LIBSVM (libsvm.so.3) is missing or unusable.</summary>
public sealed class LibSvmUnavailableException(string message) : InvalidOperationException(message);

/// <summary>LIBSVM rejected a problem, parameters or a model file; the message names it.</summary>
public sealed class SvmException(string message) : IOException(message);
