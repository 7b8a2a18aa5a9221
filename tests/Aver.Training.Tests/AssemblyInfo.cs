// Trainers set the process-wide Engine.Threads for their run, and some kernels sum in an order that
// depends on the thread count; test classes running in parallel would change each other's thread
// count mid-run and break the bit-exact resume checks. So this project's tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
