using System.Runtime.CompilerServices;
using Aver.Tensors;

namespace Aver.Testing;

/// <summary>
/// Every test suite runs with recycled tensor memory poisoned: an array backprop or the optimizer hands back is filled
/// with NaN, so an op that reads a rented array before writing it, or a tensor still holding a recycled one, turns a
/// test's numbers into NaN instead of passing on stale values.
/// </summary>
internal static class PoisonRecycledMemory
{
    [ModuleInitializer]
    internal static void Enable() => TensorMemory.PoisonRecycled = true;
}
