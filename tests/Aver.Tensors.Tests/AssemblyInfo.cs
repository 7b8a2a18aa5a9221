// OpenBLAS's thread count is process-wide (openblas_set_num_threads) and the LSTM and attention kernels
// switch it to 1 around their per-direction/per-head loops; OpenBLAS 0.3.21 (Debian 12) has no per-call
// thread count and changing it while another thread is inside a BLAS call is not safe. Aver runs one model
// per process, so the engine's tests run one at a time too (a rare exact-equality failure was seen when
// they ran in parallel).
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
