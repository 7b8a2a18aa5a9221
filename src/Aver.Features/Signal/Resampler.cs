using Aver.Media;

namespace Aver.Features.Signal;

/// <summary>
/// Band-limited resampling by a rational factor with a Kaiser-windowed sinc kernel, the algorithm of
/// torchaudio.functional.resample(resampling_method = "kaiser_window"): with p/q the reduced rate ratio
/// (q input samples give p outputs), output j of each block of q inputs is a dot product of the input
/// with kernel j, the cutoff at rolloff * min(rates) / 2. Defaults (16 zero crossings each side,
/// rolloff 0.97, beta 9) are close to ffmpeg's swresample defaults (filter_size 32, cutoff 0.97,
/// Kaiser beta 9). Kernels are built once per rate pair; instances are immutable and thread-safe.
/// </summary>
public sealed class Resampler
{
    private readonly int _in, _out, _width, _taps; // reduced rates; kernel half-width in input samples; taps per kernel
    private readonly float[] _kernels; // [out, taps]

    public int InputRate { get; }
    public int OutputRate { get; }

    public Resampler(int inputRate, int outputRate, int lowpassFilterWidth = 16, double rolloff = 0.97, double beta = 9.0)
    {
        if (inputRate <= 0 || outputRate <= 0) throw new ArgumentOutOfRangeException(nameof(inputRate), $"Resampler: rates must be positive, got {inputRate} -> {outputRate}");
        if (lowpassFilterWidth < 1) throw new ArgumentOutOfRangeException(nameof(lowpassFilterWidth), lowpassFilterWidth, "Resampler: filter width must be at least 1");
        if (!(rolloff > 0 && rolloff <= 1)) throw new ArgumentOutOfRangeException(nameof(rolloff), rolloff, "Resampler: rolloff must be in (0, 1]");
        InputRate = inputRate; OutputRate = outputRate;
        int g = (int)System.Numerics.BigInteger.GreatestCommonDivisor(inputRate, outputRate);
        _in = inputRate / g; _out = outputRate / g;
        double baseFreq = Math.Min(_in, _out) * rolloff;
        _width = (int)Math.Ceiling(lowpassFilterWidth * _in / baseFreq);
        _taps = 2 * _width + _in;
        _kernels = new float[_out * _taps];
        double i0Beta = BesselI0(beta), scale = baseFreq / _in;
        for (int j = 0; j < _out; j++)
            for (int i = 0; i < _taps; i++)
            {
                // time of tap i relative to output j, in units of the cutoff period
                double t = (-(double)j / _out + (double)(i - _width) / _in) * baseFreq;
                t = Math.Clamp(t, -lowpassFilterWidth, lowpassFilterWidth);
                double r = t / lowpassFilterWidth;
                double window = BesselI0(beta * Math.Sqrt(1 - r * r)) / i0Beta;
                double x = t * Math.PI;
                double sinc = x == 0 ? 1 : Math.Sin(x) / x;
                _kernels[j * _taps + i] = (float)(sinc * window * scale);
            }
    }

    /// <summary><paramref name="audio"/> at <paramref name="outputRate"/> (the same buffer when the rate already matches).</summary>
    public static AudioBuffer Resample(AudioBuffer audio, int outputRate) =>
        audio.SampleRate == outputRate ? audio : new AudioBuffer(Get(audio.SampleRate, outputRate).Process(audio.Samples), outputRate);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int), Resampler> Cache = new();

    /// <summary>A cached resampler with the default filter (immutable, thread-safe): its kernels cost a Bessel function per tap and phase, more than resampling a clip.</summary>
    public static Resampler Get(int inputRate, int outputRate) =>
        Cache.GetOrAdd((inputRate, outputRate), static k => new Resampler(k.Item1, k.Item2));

    /// <summary>The resampled signal, ceil(L * out / in) samples; zeros are assumed beyond both ends.</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        int length = input.Length;
        // Pooled: a clip-long buffer would be a fresh large-object allocation per call.
        var paddedArray = System.Buffers.ArrayPool<float>.Shared.Rent(length + 2 * _width + _in);
        var padded = paddedArray.AsSpan(0, length + 2 * _width + _in);
        padded.Clear();
        input.CopyTo(padded[_width..]);
        int outLength = (int)Math.Ceiling((double)_out * length / _in);
        var output = new float[outLength];
        var kernels = _kernels.AsSpan();
        for (int o = 0; o < outLength; o++)
        {
            int block = o / _out, phase = o % _out;
            output[o] = System.Numerics.Tensors.TensorPrimitives.Dot(
                padded.Slice(block * _in, _taps), kernels.Slice(phase * _taps, _taps));
        }
        System.Buffers.ArrayPool<float>.Shared.Return(paddedArray);
        return output;
    }

    // Modified Bessel function of the first kind, order 0 (power series; converges fast for the betas used here).
    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 200; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return sum;
    }
}
