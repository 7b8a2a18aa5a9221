using System.Diagnostics;

namespace Aver.Tensors;

/// <summary>
/// The threads <see cref="Engine.For"/> runs its loops on: <see cref="Engine.Threads"/> - 1 background workers that,
/// after a loop, keep watching for the next one for <see cref="SpinMicroseconds"/> before they sleep. The .NET thread
/// pool puts idle workers to sleep at once, and under ResNet-18 inference (2 vCPUs under KVM, session 20) the second
/// half of a loop started 0.33 ms late on average, 7 % of a 4.5-ms convolution split in two; the engine's loops follow
/// each other closely enough that a worker kept awake is almost always ready (PyTorch's OpenMP threads spin the same way).
/// Iterations are handed out one at a time from a shared counter, as Parallel.For does. One loop runs at a time: a
/// thread that finds the workers taken by another thread's loop is told so and uses Parallel.For.
/// </summary>
internal static class LoopWorkers
{
    /// <summary>How long an idle worker watches for the next loop before it sleeps (its core is spent meanwhile).</summary>
    private const int SpinMicroseconds = 300;
    private static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;

    /// <summary>Benches turn this off to compare with Parallel.For.</summary>
    internal static bool Enabled = true;

    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static int _workers;
    private static int _taken;       // 1 while a caller owns the workers
    private static long _generation; // one step per loop
    private static int _slots;       // workers that may still join the current loop (a failed claim takes it below zero)
    private static int _finished;    // workers of the current loop that are done
    private static int _sleepers;
    private static int _next, _count;
    private static Action<int>? _body;
    private static List<Exception>? _failures;

    /// <summary>
    /// Runs <paramref name="body"/> for each i in [0, <paramref name="count"/>) on the calling thread and up to
    /// <paramref name="threads"/> - 1 workers, and returns true; false (nothing run) when another thread's loop has them.
    /// Exceptions come out as Parallel.For's do, in an AggregateException, after the other iterations stop.
    /// </summary>
    public static bool TryRun(int count, int threads, Action<int> body)
    {
        if (!Enabled || Interlocked.CompareExchange(ref _taken, 1, 0) != 0) return false;
        try
        {
            int wanted = Math.Min(threads, count) - 1;
            Hire(wanted);
            _body = body; _count = count; _next = 0; _finished = 0; _failures = null;
            // The fields above are read only by a worker whose claim on a slot saw this write.
            Volatile.Write(ref _slots, wanted);
            Interlocked.Increment(ref _generation);
            int sleeping = Volatile.Read(ref _sleepers);
            if (sleeping > 0) Wake.Release(Math.Min(sleeping, wanted));
            Work();
            // Close the loop to late workers and wait for those that joined (each finishes its iteration).
            int joined = wanted - Math.Max(Interlocked.Exchange(ref _slots, 0), 0);
            var spin = new SpinWait();
            while (Volatile.Read(ref _finished) < joined) spin.SpinOnce(sleep1Threshold: -1);
            _body = null;
            if (_failures is { } failures) throw new AggregateException(failures);
            return true;
        }
        finally { Volatile.Write(ref _taken, 0); }
    }

    /// <summary>Takes iterations until none are left; the first exception stops the others from starting new ones.</summary>
    private static void Work()
    {
        var body = _body!;
        int count = _count, i;
        while ((i = Interlocked.Increment(ref _next) - 1) < count)
        {
            try { Engine.RunIteration(body, i); }
            catch (Exception e)
            {
                lock (Gate) (_failures ??= []).Add(e);
                Interlocked.Exchange(ref _next, count);
            }
        }
    }

    private static void Hire(int workers)
    {
        if (Volatile.Read(ref _workers) >= workers) return;
        lock (Gate)
            while (_workers < workers)
            {
                new Thread(Watch) { IsBackground = true, Name = $"aver-loop-{_workers + 1}" }.Start();
                _workers++;
            }
    }

    /// <summary>A worker: wait for a loop (spinning, then asleep), claim a slot in it, work, and wait again.</summary>
    private static void Watch()
    {
        long seen = Volatile.Read(ref _generation);
        while (true)
        {
            long since = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - since < SpinTicks) { Thread.SpinWait(20); continue; }
                // Announce the sleep before the last look, so a loop posted in between either is seen or wakes us.
                Interlocked.Increment(ref _sleepers);
                if (Volatile.Read(ref _generation) == seen) Wake.Wait();
                Interlocked.Decrement(ref _sleepers);
                since = Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref _generation);
            if (Interlocked.Decrement(ref _slots) < 0) continue; // the loop is full or over
            Work();
            Interlocked.Increment(ref _finished);
        }
    }
}
