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

    /// <summary>
    /// Whether 3x3 stride-1 convolutions use Winograd's F(4x4, 3x3) (on by default; about 2-3x
    /// fewer multiplications, rounding within a few 1e-6 relative of the direct product). Off gives
    /// the im2col path everywhere.
    /// </summary>
    public static bool Winograd { get; set; } = Environment.GetEnvironmentVariable("AVER_WINOGRAD") != "0";

    internal static ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = _threads };

    /// <summary>Runs <paramref name="body"/> for each i in [0, count), on up to <see cref="Threads"/> threads.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (_threads == 1 || count == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, ParallelOptions, body);
    }
}
