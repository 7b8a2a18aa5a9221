using System.Runtime.InteropServices;

namespace Aver.Tensors.Native;

/// <summary>
/// OpenBLAS entry points, resolved at run time so that Aver still runs (more slowly) where the
/// library is absent. Debian's <c>libopenblas0-pthread</c> provides <c>libopenblas.so.0</c>. A library is taken only if
/// it is OpenBLAS (it exports <c>openblas_set_num_threads</c>): Debian's <c>libblas.so.3</c> is netlib's reference BLAS
/// unless OpenBLAS is installed, and that one ran Aver's products at 3-6 GFLOP/s, 15-22x below the packed kernel that
/// serves when OpenBLAS is missing (bench/README.md, session 19).
/// </summary>
internal static unsafe class OpenBlas
{
    public const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private static readonly delegate* unmanaged<int, void> _setThreads;

    public static bool IsAvailable => _sgemm != null;
    public static string? LoadedFrom { get; }

    static OpenBlas()
    {
        string[] candidates = ["libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libblas.so.3"];
        foreach (var name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)
                || !NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var st))
            {
                NativeLibrary.Free(handle);
                continue;
            }
            _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            _setThreads = (delegate* unmanaged<int, void>)st;
            LoadedFrom = name;
            return;
        }
    }

    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        => _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>True when the loaded library can be set to one thread (always, once it was loaded: it is OpenBLAS).</summary>
    public static bool ControlsThreads => _setThreads != null;

    public static void SetThreads(int threads)
    {
        if (_setThreads != null) _setThreads(threads);
    }
}
