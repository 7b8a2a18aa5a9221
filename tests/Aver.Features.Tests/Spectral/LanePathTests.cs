using Aver.Features.Spectral;
using Aver.Tensors;

namespace Aver.Features.Tests.Spectral;

/// <summary>
/// The frame-batched kernels (one frame per vector lane: the STFT, the mel bank by band, deltas along rows)
/// on every instruction-set path this CPU runs (forced through <see cref="Engine.Isa"/>: 4, 8 or 16 lanes),
/// on odd sizes (signal lengths, hops, window offsets and frame counts that leave partial vectors): each equals
/// the per-frame form to the bit, and the STFT agrees with a DFT summed in double precision.
/// </summary>
public class LanePathTests
{
    public static TheoryData<int, int, int, bool, float> StftCases() => new()
    {
        // n_fft, hop, window length, center, power
        { 512, 64, 512, true, 1f },
        { 512, 160, 400, false, 2f },
        { 64, 37, 41, true, 1f },       // odd hop, odd window offset (11)
        { 16, 5, 16, false, 0.5f },     // other powers go through Pow
        { 8, 3, 7, true, 2f },
        { 4, 1, 4, true, 1f },          // n/2 = 2: the plain bit-reversal path
    };

    [Theory]
    [MemberData(nameof(StftCases))]
    public void StftOnEveryPathEqualsThePerFrameTransform(int nFft, int hop, int windowLength, bool center, float power)
    {
        var x = Signals.Noise((ulong)(nFft + hop), 2003);
        var window = Windows.Hann(windowLength);
        var expected = PerFrame(x, nFft, hop, window, center, power);
        foreach (var path in Paths())
            WithIsa(path, () =>
            {
                var s = Stft.Compute(x, nFft, hop, window, center, PadMode.Reflect, power);
                Assert.Equal(expected.Length, s.Size);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(s.Data[i]),
                        $"{path}: element {i} (frame {i / (nFft / 2 + 1)}) {s.Data[i]} vs per-frame {expected[i]}");
            });
    }

    [Fact]
    public void StftOnEveryPathAgreesWithADoubleDft()
    {
        const int nFft = 64, hop = 23, windowLength = 50;
        var x = Signals.Noise(41, 1501);
        var window = Windows.Hamming(windowLength);
        var padded = Stft.Pad(x, nFft / 2);
        int frames = Stft.FrameCount(x.Length, nFft, hop), offset = (nFft - windowLength) / 2;
        foreach (var path in Paths())
            WithIsa(path, () =>
            {
                var s = Stft.Compute(x, nFft, hop, window, center: true, PadMode.Reflect, power: 1f);
                var frame = new float[nFft];
                for (int f = 0; f < frames; f++)
                {
                    for (int j = 0; j < windowLength; j++) frame[offset + j] = padded[f * hop + offset + j] * window[j];
                    var mag = Signals.NaiveDft(frame, nFft, out _, out _);
                    for (int k = 0; k <= nFft / 2; k++)
                        Assert.True(Math.Abs(s[f, k] - mag[k]) < 2e-5 * Math.Sqrt(nFft) * Math.Log2(nFft), $"{path}: frame {f} bin {k} {s[f, k]} vs {mag[k]}");
                }
            });
    }

    [Theory]
    [InlineData(37)]
    [InlineData(64)]
    [InlineData(3)]
    public void MelBankByBandOnEveryPathEqualsPerFrame(int frames)
    {
        var bank = MelFilterBank.Create();
        const int stride = 67; // frames side by side with slack, as in a block
        var spectra = Signals.Noise(5, bank.Frequencies * stride);
        for (int i = 0; i < spectra.Length; i++) spectra[i] = spectra[i] * spectra[i];
        var expected = new float[frames * bank.Mels];
        var spectrum = new float[bank.Frequencies];
        for (int j = 0; j < frames; j++)
        {
            for (int k = 0; k < bank.Frequencies; k++) spectrum[k] = spectra[k * stride + j];
            bank.Apply(spectrum, expected.AsSpan(j * bank.Mels, bank.Mels));
        }
        foreach (var path in Paths())
            WithIsa(path, () =>
            {
                var mels = new float[bank.Mels * frames];
                bank.ApplyByBand(spectra, stride, frames, mels, frames);
                for (int m = 0; m < bank.Mels; m++)
                    for (int j = 0; j < frames; j++)
                        Assert.True(expected[j * bank.Mels + m] == mels[m * frames + j], $"{path}: mel {m} frame {j}");
            });
    }

    [Theory]
    [InlineData(64, 64, 2)]
    [InlineData(7, 13, 2)]
    [InlineData(5, 3, 2)]   // fewer frames than 2N
    [InlineData(3, 9, 3)]
    [InlineData(4, 1, 1)]
    [InlineData(9, 37, 2)]  // whole vectors and a remainder on every width
    public void DeltasAlongRowsEqualTimeMajorDeltas(int rows, int frames, int n)
    {
        var x = Signals.Noise((ulong)(rows * frames), rows * frames); // [rows, frames]
        var timeMajor = new float[frames * rows];
        for (int r = 0; r < rows; r++) for (int t = 0; t < frames; t++) timeMajor[t * rows + r] = x[r * frames + t];
        var expected = new float[frames * rows];
        Deltas.Compute(timeMajor, expected, frames, rows, n);
        foreach (var path in Paths())
            WithIsa(path, () =>
            {
                var d = new float[rows * frames];
                Deltas.ComputeAlongRows(x, d, rows, frames, n);
                for (int r = 0; r < rows; r++)
                    for (int t = 0; t < frames; t++) Assert.True(expected[t * rows + r] == d[r * frames + t], $"{path}: row {r} frame {t}");
            });
    }

    /// <summary>|rfft|^power frame by frame through <see cref="RealFft.Magnitude"/>, [frames, bins].</summary>
    private static float[] PerFrame(float[] x, int nFft, int hop, float[] window, bool center, float power)
    {
        var padded = center ? Stft.Pad(x, nFft / 2) : x;
        int frames = Stft.FrameCount(x.Length, nFft, hop, center), bins = nFft / 2 + 1, offset = (nFft - window.Length) / 2;
        var fft = RealFft.Get(nFft);
        var output = new float[frames * bins];
        var frame = new float[nFft];
        var scratch = new float[2 * bins];
        for (int f = 0; f < frames; f++)
        {
            for (int j = 0; j < window.Length; j++) frame[offset + j] = padded[f * hop + offset + j] * window[j];
            fft.Magnitude(frame, output.AsSpan(f * bins, bins), scratch, power);
        }
        return output;
    }

    internal static IEnumerable<IsaPath> Paths() => Enum.GetValues<IsaPath>().Where(p => p <= CpuFeatures.Supported);

    internal static void WithIsa(IsaPath path, Action body)
    {
        var saved = Engine.Isa;
        try { Engine.Isa = path; body(); }
        finally { Engine.Isa = saved; }
    }
}
