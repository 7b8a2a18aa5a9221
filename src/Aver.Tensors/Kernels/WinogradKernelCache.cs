using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Winograd-domain kernels of weights used without gradients (inference), kept per weight array.
/// Transforming the kernels is memory-bound and writes four times the weights (36 taps for 9):
/// 10 ms per call for a 512-channel ResNet-18 layer, about 5% of an inference batch. A cached
/// snapshot holds a copy of the weights it was made from and is used only while they are still
/// equal, so weights changed in place (an optimiser step, a loaded state dict) are transformed
/// again. Snapshots are immutable and replaced whole, so concurrent inferences never wait on each other.
/// </summary>
internal static class WinogradKernelCache
{
    /// <summary>Total floats the cache may hold (copies plus transformed kernels): 1 GiB; weights seen after that are not cached.</summary>
    private const long BudgetFloats = 256L << 20;
    private static long _floats;

    private sealed record Snapshot(float[] Weights, float[] Kernels);

    private sealed class Slot
    {
        public Snapshot? Current;
    }

    private static readonly ConditionalWeakTable<float[], Slot> Slots = new();

    /// <summary>
    /// Runs <paramref name="use"/> with the transformed kernels of <paramref name="w"/> (of
    /// <paramref name="kernelFloats"/> floats), made by <paramref name="transform"/> only when
    /// absent or stale; false when the cache is full and the caller must transform them itself.
    /// </summary>
    public static bool TryUse(float[] w, int kernelFloats, Action<float[]> transform, Action<float[]> use)
    {
        var slot = Slots.GetValue(w, _ => new Slot());
        var snapshot = Volatile.Read(ref slot.Current);
        if (snapshot is null || snapshot.Kernels.Length != kernelFloats || !snapshot.Weights.AsSpan().SequenceEqual(w))
        {
            long size = (long)w.Length + kernelFloats;
            if (snapshot is null && Interlocked.Add(ref _floats, size) > BudgetFloats)
            {
                Interlocked.Add(ref _floats, -size);
                return false;
            }
            snapshot = new Snapshot((float[])w.Clone(), GC.AllocateUninitializedArray<float>(kernelFloats));
            transform(snapshot.Kernels);
            Volatile.Write(ref slot.Current, snapshot);
        }
        use(snapshot.Kernels);
        return true;
    }
}
