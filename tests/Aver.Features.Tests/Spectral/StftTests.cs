using Aver.Features.Spectral;

namespace Aver.Features.Tests.Spectral;

public class StftTests
{
    [Theory]
    [InlineData(16000, 512, 64, true, 251)]
    [InlineData(16000, 512, 64, false, 243)]
    [InlineData(100, 512, 64, false, 0)]
    [InlineData(512, 512, 160, false, 1)]
    public void FrameCount_FollowsTorchConventions(int length, int nFft, int hop, bool center, int expected) =>
        Assert.Equal(expected, Stft.FrameCount(length, nFft, hop, center));

    [Fact]
    public void Compute_CenteredFrameEqualsNaiveDftOfReflectPaddedWindow()
    {
        var x = Signals.Noise(7, 1000);
        var s = Stft.Compute(x, 64, 16, Windows.Hann(64), center: true);
        Assert.Equal(new[] { 1 + 1000 / 16, 33 }, s.Shape.ToArray());
        // frame 0 is centred on sample 0: samples -32..31 with x[-i] = x[i]
        var frame = new float[64];
        var w = Windows.Hann(64);
        for (int i = 0; i < 64; i++) frame[i] = x[Math.Abs(i - 32)] * w[i];
        var expected = Signals.NaiveDft(frame, 64, out _, out _);
        for (int k = 0; k < 33; k++) Assert.Equal(expected[k], s[0, k], 4);
        // frame 10: samples 160-32 .. 160+31
        for (int i = 0; i < 64; i++) frame[i] = x[160 - 32 + i] * w[i];
        expected = Signals.NaiveDft(frame, 64, out _, out _);
        for (int k = 0; k < 33; k++) Assert.Equal(expected[k], s[10, k], 4);
    }

    [Fact]
    public void Compute_ShortWindowSitsInTheMiddleOfTheFrame()
    {
        var x = Signals.Noise(8, 600);
        var w = Windows.Hamming(40);
        var s = Stft.Compute(x, 64, 50, w, center: false, power: 2);
        var frame = new float[40];
        for (int i = 0; i < 40; i++) frame[i] = x[50 * 3 + 12 + i] * w[i]; // offset (64 - 40) / 2 = 12
        var expected = Signals.NaiveDft(frame, 64, out _, out _);
        for (int k = 0; k < 33; k++) Assert.Equal(expected[k] * expected[k], s[3, k], 3);
    }

    [Fact]
    public void Compute_ParallelEqualsSingleThreaded()
    {
        var x = Signals.Noise(9, 48000);
        int saved = Aver.Tensors.Engine.Threads;
        try
        {
            Aver.Tensors.Engine.Threads = 1;
            var a = Stft.Compute(x);
            Aver.Tensors.Engine.Threads = 2;
            var b = Stft.Compute(x);
            Assert.Equal(a.Data, b.Data);
        }
        finally { Aver.Tensors.Engine.Threads = saved; }
    }

    [Fact]
    public void Pad_ReflectsWithoutRepeatingTheEdge()
    {
        var y = Stft.Pad(new float[] { 1, 2, 3, 4 }, 2);
        Assert.Equal(new float[] { 3, 2, 1, 2, 3, 4, 3, 2 }, y);
        Assert.Equal(new float[] { 0, 1, 2, 0 }, Stft.Pad(new float[] { 1, 2 }, 1, PadMode.Constant));
    }

    [Fact]
    public void Pad_ReflectLongerThanSignalIsRejected() =>
        Assert.Throws<ArgumentException>(() => Stft.Compute(new float[100], 512));

    [Fact]
    public void Compute_WindowLongerThanFftIsRejected() =>
        Assert.Throws<ArgumentException>(() => Stft.Compute(new float[2000], 256, 64, Windows.Hann(300)));
}
