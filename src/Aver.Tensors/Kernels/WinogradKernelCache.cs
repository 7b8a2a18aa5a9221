using System.Runtime.CompilerServices;

namespace Aver.Tensors;

/// <summary>
/// Winograd-domain kernels of weights used without gradients (inference), kept per weight array.
/// Transforming the kernels is memory-bound and writes four times the weights (36 taps for 9):
/// 10 ms per call for a 512-channel ResNet-18 layer, about 5% of an inference batch. A cached entry
/// holds a copy of the weights it was made from and is used only while they are still equal, so
/// weights changed in place (an optimiser step, a loaded state dict) are transformed again.
/// </summary>
internal static class WinogradKernelCache
{
    /// <summary>Total floats the cache may hold (copies plus transformed kernels): 1 GiB; later weights are not cached.</summary>
    private const long BudgetFloats = 256L << 20;
    private static long _floats;

    private sealed class Entry(float[] weights, float[] kernels)
    {
        public readonly float[] Weights = weights, Kernels = kernels;
    }

    private static readonly ConditionalWeakTable<float[], Entry> Entries = new();

    /// <summary>
    /// Runs <paramref name="use"/> with the transformed kernels of <paramref name="w"/> (of
    /// <paramref name="kernelFloats"/> floats), made by <paramref name="transform"/> only when
    /// absent or stale; false when the cache is full and the caller must transform them itself.
    /// </summary>
    public static bool TryUse(float[] w, int kernelFloats, Action<float[]> transform, Action<float[]> use)
    {
        if (!Entries.TryGetValue(w, out var entry))
        {
            if (Interlocked.Add(ref _floats, (long)w.Length + kernelFloats) > BudgetFloats) return false;
            var fresh = new Entry((float[])w.Clone(), GC.AllocateUninitializedArray<float>(kernelFloats));
            transform(fresh.Kernels);
            entry = Entries.GetValue(w, _ => fresh);
        }
        lock (entry)
        {
            if (!entry.Weights.AsSpan().SequenceEqual(w))
            {
                w.CopyTo(entry.Weights, 0);
                transform(entry.Kernels);
            }
            use(entry.Kernels);
        }
        return true;
    }
}
