// As in Aver.Tensors.Tests: OpenBLAS's thread count is process-wide and the convolution, LSTM and attention
// kernels switch it to 1 around their parallel loops; OpenBLAS 0.3.21 has no per-call thread count, and changing
// it while another thread is inside a BLAS call is not safe. These tests compare networks bit for bit (a saved
// and reloaded ResNet-18 once differed in a CI run with test classes in parallel), so they run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
