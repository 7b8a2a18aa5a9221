namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>
/// Two networks running at the same time on two threads (as <c>aver serve --workers 2</c> runs
/// predictions) each give the very bits they give alone. Written for the OpenBLAS thread-count race:
/// the convolution kernels used to switch OpenBLAS's process-wide thread count to 1 around their
/// parallel loops, a matrix product running meanwhile on another thread took whichever count it
/// found, and OpenBLAS blocks the inner dimension differently threaded and unthreaded (on the old
/// code the dense network differed in about 5% of its concurrent runs).
/// </summary>
public class ConcurrentNetworkTests
{
    [Fact]
    public void TwoNetworksOnTwoThreadsEachMatchTheirSoloOutputBitForBit()
    {
        int threads = Engine.Threads;
        try
        {
            Engine.Threads = 2;
            var conv = new ConvNetwork();
            var dense = new DenseNetwork();
            float[] convAlone = conv.Forward(), denseAlone = dense.Forward();
            Assert.Equal(convAlone, conv.Forward());
            Assert.Equal(denseAlone, dense.Forward());

            var until = DateTime.UtcNow.AddSeconds(2);
            int convMismatches = 0, denseMismatches = 0, convRuns = 0, denseRuns = 0;
            var convThread = new Thread(() =>
            {
                while (DateTime.UtcNow < until) { convRuns++; if (!conv.Forward().AsSpan().SequenceEqual(convAlone)) convMismatches++; }
            });
            var denseThread = new Thread(() =>
            {
                while (DateTime.UtcNow < until) { denseRuns++; if (!dense.Forward().AsSpan().SequenceEqual(denseAlone)) denseMismatches++; }
            });
            convThread.Start(); denseThread.Start();
            convThread.Join(); denseThread.Join();
            Assert.True(convRuns > 0 && denseRuns > 0);
            Assert.True(convMismatches == 0 && denseMismatches == 0,
                $"concurrent outputs differed from the solo ones: convolutional {convMismatches} of {convRuns} runs, dense {denseMismatches} of {denseRuns}");
        }
        finally { Engine.Threads = threads; }
    }

    /// <summary>Two 3x3 convolutions on a batch of 4: each splits the batch over the engine's threads.</summary>
    private sealed class ConvNetwork
    {
        private readonly Tensor _x = Rand(71, 4, 8, 24, 24), _w1 = Rand(72, 16, 8, 3, 3), _w2 = Rand(73, 16, 16, 3, 3);

        public float[] Forward()
        {
            using var _ = GradMode.NoGrad();
            return _x.Conv2d(_w1, padding: 1).Relu().Conv2d(_w2, padding: 1).Data;
        }
    }

    /// <summary>Linear layers whose products are big enough for a threaded BLAS to split them.</summary>
    private sealed class DenseNetwork
    {
        private readonly Tensor _x = Rand(81, 96, 600), _w1 = Rand(82, 160, 600), _w2 = Rand(83, 96, 160), _w3 = Rand(84, 520, 96);

        public float[] Forward()
        {
            using var _ = GradMode.NoGrad();
            return _x.Linear(_w1).Relu().Linear(_w2).Linear(_w3).Data;
        }
    }
}
