namespace Aver.Tensors;

/// <summary>
/// Where op results and gradients get their arrays: recycled from results and gradients that their modules, backprop
/// and the optimizer have finished with, else fresh from the GC. A training step allocates its activations and gradients anew, about 200 MB for
/// ResNet-18 at batch 16; the GC hands freed large arrays back to the kernel, so each step faulted its memory in again
/// page by page, and at two threads those faults and the kernel's zeroing took 15-20 % of the CPU time (bench/README.md).
/// Modules hand their intermediate results back with <see cref="Release"/>: at once in inference, after their backward
/// closure in training. A gradient is recycled only
/// where its owner is known to let go of it: <see cref="Tensor.Backward"/> drops each
/// intermediate result's gradient once its closure has run (ops hand gradients on with ReleaseGrad, never sharing
/// one array between two tensors), and <see cref="Optim.Optimizer.ZeroGrad"/> drops the parameters'. The next op that
/// needs an array of exactly that length takes it. Like PyTorch's caching allocator, but sized by exact length and
/// bounded by <see cref="MaxPooledBytes"/>; <see cref="Trim"/> empties it.
/// </summary>
public static class TensorMemory
{
    /// <summary>
    /// Arrays shorter than this (default 32,768 floats, 128 KiB) live and die cheaply in the GC's young generation and
    /// are not pooled. The test suites set it to 1, so that their small networks recycle (and poison) every array.
    /// </summary>
    public static int MinPooledLength { get; set; } = 1 << 15;

    private static readonly Dictionary<int, Stack<float[]>> _free = [];
    private static readonly Lock _lock = new();
    private static long _pooledBytes;

    /// <summary>
    /// Whether arrays are recycled (default on; AVER_RECYCLE=0 turns it off). Results are the same bits either way:
    /// every op writes all of an array it rents.
    /// </summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("AVER_RECYCLE") != "0";

    /// <summary>Most bytes held for reuse (512 MiB); beyond it, dropped arrays go to the GC as before.</summary>
    public static long MaxPooledBytes { get; set; } = 512L << 20;

    /// <summary>
    /// A debugging aid, on in Aver's test suites and with AVER_RECYCLE=poison: every recycled array is filled with NaN,
    /// so an op that reads a rented array before writing it, or a tensor that still held a recycled one, shows as NaN.
    /// </summary>
    public static bool PoisonRecycled { get; set; } = Environment.GetEnvironmentVariable("AVER_RECYCLE") == "poison";

    /// <summary>Bytes now held for reuse.</summary>
    public static long PooledBytes { get { lock (_lock) return _pooledBytes; } }

    /// <summary>An array of exactly <paramref name="length"/> floats with arbitrary contents: the caller writes every element.</summary>
    public static float[] Rent(int length) => Pooled(length) ?? GC.AllocateUninitializedArray<float>(length);

    /// <summary>An array of exactly <paramref name="length"/> zeros: a pooled one cleared, or a new one (the GC's come zeroed).</summary>
    public static float[] RentZeroed(int length)
    {
        if (Pooled(length) is not { } array) return new float[length];
        Array.Clear(array);
        return array;
    }

    /// <summary>A pooled array of exactly <paramref name="length"/> floats, or null when the pool has none.</summary>
    private static float[]? Pooled(int length)
    {
        if (length < MinPooledLength || !Enabled) return null;
        lock (_lock)
        {
            if (!_free.TryGetValue(length, out var stack) || stack.Count == 0) return null;
            _pooledBytes -= 4L * length;
            return stack.Pop();
        }
    }

    /// <summary>
    /// Takes back an array nothing else will read or write again. Only owners that know this call it (backprop for
    /// intermediate gradients, the optimizer for parameter gradients); anything else lets the GC have its arrays.
    /// </summary>
    internal static void Recycle(float[]? array)
    {
        if (array is null || array.Length < MinPooledLength || !Enabled) return;
        if (PoisonRecycled) array.AsSpan().Fill(float.NaN);
        lock (_lock)
        {
            if (_pooledBytes + 4L * array.Length > MaxPooledBytes) return;
            if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
            _pooledBytes += 4L * array.Length;
        }
    }

    /// <summary>
    /// Hands back the storage of a temporary result that the caller made and alone holds, once it has been read for the
    /// last time: a module's forward pass calls it on its intermediate results. In inference (<see cref="GradMode.NoGrad"/>)
    /// the array is recycled at once, for the next op of the same size. With gradients on, the backward pass still reads
    /// it, so the result is only marked: <see cref="Tensor.Backward"/> recycles it once its own closure has run (by then
    /// every closure that reads it has), which makes a training step's activations the next step's instead of fresh
    /// pages. A result outside the graph (needing no gradient: a frozen convolution's output feeding a trainable batch
    /// norm, which keeps it for its own backward) is left to the GC. The tensor's values are undefined afterwards. Never
    /// pass a tensor that shares its storage (a reshape) or that a caller gave you, nor one your module reads after the
    /// backward pass.
    /// </summary>
    public static void Release(Tensor temporary)
    {
        if (!GradMode.IsEnabled && !temporary.RequiresGrad) Recycle(temporary.Data);
        else if (GradMode.IsEnabled && temporary.BackwardFn is not null) temporary.RecycleAfterBackward = true;
    }


    /// <summary>Lets the GC have every pooled array (e.g. when training ends and the process goes on with something else).</summary>
    public static void Trim()
    {
        lock (_lock)
        {
            _free.Clear();
            _pooledBytes = 0;
        }
    }
}
