// Lane-path, STFT and throughput tests set the process-wide Engine.Isa and Engine.Threads, and other tests (the
// feature cache's) compare spectrograms bit for bit: computed under a forced 128-bit path in between, a cached
// entry and a recomputed one differ in the last bits. So the tests here run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
