namespace Aver.Tensors.Tests;

/// <summary>Engine.For on the engine's own workers (<see cref="LoopWorkers"/>): every iteration once, errors out, no loop lost.</summary>
public sealed class LoopWorkersTests
{
    private static void WithThreads(int threads, Action run)
    {
        int was = Engine.Threads;
        try { Engine.Threads = threads; run(); }
        finally { Engine.Threads = was; }
    }

    [Fact]
    public void EveryIterationOfEveryLoopRunsExactlyOnce()
    {
        WithThreads(Math.Min(2, Environment.ProcessorCount), () =>
        {
            for (int loop = 0; loop < 3000; loop++)
            {
                int count = 1 + loop % 37;
                var runs = new int[count];
                Engine.For(count, i => Interlocked.Increment(ref runs[i]));
                Assert.All(runs, r => Assert.Equal(1, r));
            }
        });
    }

    [Fact]
    public void TheWorkersTakeIterationsOffTheCallingThread()
    {
        if (Environment.ProcessorCount < 2) return; // one core: Engine.For never leaves the calling thread
        WithThreads(2, () =>
        {
            var threads = new HashSet<int>();
            for (int loop = 0; loop < 200 && threads.Count < 2; loop++)
                Engine.For(2, _ =>
                {
                    Thread.Sleep(1);
                    lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                });
            Assert.Equal(2, threads.Count);
        });
    }

    [Fact]
    public void AnIterationsExceptionComesOutAndTheNextLoopStillRuns()
    {
        WithThreads(Math.Min(2, Environment.ProcessorCount), () =>
        {
            var e = Assert.Throws<AggregateException>(() => Engine.For(100, i =>
            {
                if (i == 7) throw new InvalidOperationException("iteration 7");
            }));
            Assert.Contains(e.InnerExceptions, x => x.Message == "iteration 7");
            int sum = 0;
            Engine.For(50, i => Interlocked.Add(ref sum, i));
            Assert.Equal(49 * 50 / 2, sum);
        });
    }

    [Fact]
    public void LoopsFromTwoThreadsAtOnceBothComplete()
    {
        WithThreads(Math.Min(2, Environment.ProcessorCount), () =>
        {
            long total = 0;
            void Caller()
            {
                for (int loop = 0; loop < 500; loop++)
                    Engine.For(16, i => Interlocked.Add(ref total, i + 1));
            }
            var other = new Thread(Caller);
            other.Start();
            Caller();
            other.Join();
            Assert.Equal(2L * 500 * (16 * 17 / 2), total);
        });
    }

    [Fact]
    public void ALoopInsideAnIterationRunsOnThatIterationsThread()
    {
        WithThreads(Math.Min(2, Environment.ProcessorCount), () =>
        {
            var mismatches = 0;
            Engine.For(4, _ =>
            {
                int outer = Environment.CurrentManagedThreadId;
                Engine.For(8, _ => { if (Environment.CurrentManagedThreadId != outer) Interlocked.Increment(ref mismatches); });
            });
            Assert.Equal(0, mismatches);
        });
    }
}
