using Aver.Features.Spectral;

namespace Aver.Features.Tests.Spectral;

public class WindowsTests
{
    [Fact]
    public void Hann_PeriodicMatchesTorchDefinition()
    {
        var w = Windows.Hann(4); // torch.hann_window(4) = [0, 0.5, 1, 0.5]
        Assert.Equal(new[] { 0f, 0.5f, 1f, 0.5f }, w.Select(v => MathF.Round(v, 6)).ToArray());
    }

    [Fact]
    public void Hann_SymmetricEndsAtZero()
    {
        var w = Windows.Hann(5, periodic: false); // [0, 0.5, 1, 0.5, 0]
        Assert.Equal(0f, w[4], 6);
        Assert.Equal(1f, w[2], 6);
    }

    [Fact]
    public void Hamming_EndpointsAndPeak()
    {
        var w = Windows.Hamming(400);
        Assert.Equal(0.08f, w[0], 6);
        Assert.Equal(1f, w[200], 6);
        Assert.Equal(w[1], w[399], 6); // periodic: symmetric about n/2
    }
}
