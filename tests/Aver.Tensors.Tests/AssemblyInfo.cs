// Tests here set the process-wide Engine.Isa, Engine.Threads and Engine.L2CacheBytes to cover every kernel
// path, and other tests compare results bit for bit, so they run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
