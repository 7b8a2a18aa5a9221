namespace Aver.Tensors;

/// <summary>Process-wide engine settings: how many threads kernels may use.</summary>
public static class Engine
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Threads used by kernels that parallelise over batch or channels, and by BLAS.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Threads must be at least 1");
            _threads = value;
            Blas.SetThreads(value);
        }
    }

    internal static ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = _threads };

    /// <summary>Runs <paramref name="body"/> for each i in [0, count), on up to <see cref="Threads"/> threads.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (_threads == 1 || count == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, ParallelOptions, body);
    }
}
