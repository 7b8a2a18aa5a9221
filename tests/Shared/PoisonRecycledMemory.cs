using System.Runtime.CompilerServices;
using Aver.Tensors;

namespace Aver.Testing;

/// <summary>
/// Every test suite runs with recycled tensor memory poisoned: an array backprop, the optimizer or a module hands back
/// is filled with NaN, so an op that reads a rented array before writing it, or a tensor still holding a recycled one,
/// turns a test's numbers into NaN instead of passing on stale values. Arrays of every length are pooled, so that the
/// tests' small networks exercise recycling as a real one does.
/// </summary>
internal static class PoisonRecycledMemory
{
    [ModuleInitializer]
    internal static void Enable()
    {
        TensorMemory.PoisonRecycled = true;
        TensorMemory.MinPooledLength = 1;
    }
}
