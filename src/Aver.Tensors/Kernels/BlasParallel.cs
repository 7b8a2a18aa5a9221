namespace Aver.Tensors.Kernels;

/// <summary>
/// Parallel loops over independent items that each make their own matrix products (LSTM directions,
/// attention heads, convolution chunks, Winograd's 36 per-tap products): one core per item with
/// single-threaded BLAS beats both cores splitting every product, and it keeps OpenBLAS from
/// starting threads inside parallel workers.
/// </summary>
internal static class BlasParallel
{
    public static void For(int count, Action<int> body)
    {
        if (count <= 1 || Engine.Threads < 2) { for (int i = 0; i < count; i++) body(i); return; }
        Blas.SetThreads(1);
        try { Parallel.For(0, count, Engine.ParallelOptions, body); }
        finally { Blas.SetThreads(Engine.Threads); }
    }
}
