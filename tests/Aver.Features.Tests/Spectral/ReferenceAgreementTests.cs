using Aver.Features.Avef;
using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Tests.Spectral;

/// <summary>
/// Agreement with torch.stft, torchaudio's melscale_fbanks, compute_deltas and resample
/// (fixtures from tools/reference/features.py) to 1e-4 relative error, with an absolute floor
/// near zero scaled to each quantity's largest value (float32 noise of the FFT).
/// </summary>
public class ReferenceAgreementTests
{
    private const float Rtol = 1e-4f;

    public static TheoryData<string, string> Files => new()
    {
        { "a01", "ravdess/speech16k/Actor_01/03-01-05-02-01-01-01.wav" },
        { "a02", "ravdess/speech16k/Actor_02/03-01-03-01-02-01-02.wav" },
    };

    private static float[] Excerpt(string relative, SafeTensorsFileView f)
    {
        var audio = Wav.ReadMono(TestPaths.Data(relative.Split('/')));
        Assert.Equal(16000, audio.SampleRate);
        var x = audio.Samples.AsSpan(int.Parse(f.Meta["start"]), int.Parse(f.Meta["length"])).ToArray();
        Fixture.AssertClose(f["excerpt"].Data, x, "excerpt read by Aver's WAV reader", 0, 0);
        return x;
    }

    private static float Floor(Tensor t) => 1e-6f * t.Data.Max(Math.Abs);

    [TheoryRequires(Need.SharedData)]
    [MemberData(nameof(Files))]
    public void Stft_MrpnSettings_MatchTorchStft(string key, string relative)
    {
        var f = new SafeTensorsFileView($"features/stft_{key}.safetensors");
        var x = Excerpt(relative, f);
        var actual = Stft.Compute(x, 512, 64, Windows.Hann(512), center: true);
        var expected = f["mrpn_magnitude"];
        Fixture.AssertClose(expected, actual, $"{key} |stft| (Hann 512, hop 64, center)", Rtol, Floor(expected));
    }

    [TheoryRequires(Need.SharedData)]
    [MemberData(nameof(Files))]
    public void Stft_AvefSettings_MatchTorchStft(string key, string relative)
    {
        var f = new SafeTensorsFileView($"features/stft_{key}.safetensors");
        var x = PreEmphasis.Apply(Excerpt(relative, f));
        var actual = AvefFrames.PowerSpectrum(x);
        var expected = f["avef_power"];
        Fixture.AssertClose(expected, actual, $"{key} |stft|^2 (Hamming 400 in 512, hop 160)", Rtol, Floor(expected));
    }

    [TheoryRequires(Need.SharedData)]
    [MemberData(nameof(Files))]
    public void LogMelAndDeltas_MatchTorchaudio(string key, string relative)
    {
        var f = new SafeTensorsFileView($"features/stft_{key}.safetensors");
        var x = PreEmphasis.Apply(Excerpt(relative, f));
        var logMel = MelFilterBank.Create().Apply(AvefFrames.PowerSpectrum(x));
        for (int i = 0; i < logMel.Size; i++) logMel.Data[i] = MathF.Log(logMel.Data[i] + 0.01f);
        // A relative error r in the mel energy is an absolute error r in its log: the floor is Rtol itself.
        Fixture.AssertClose(f["avef_logmel"], logMel, $"{key} log-mel (eq. 2.1)", Rtol, Rtol);
        // Deltas from the reference log-mel, so each step is checked on its own.
        var d1 = Deltas.Compute(f["avef_logmel"]);
        Fixture.AssertClose(f["delta"], d1, $"{key} compute_deltas", Rtol, 1e-5f);
        Fixture.AssertClose(f["delta2"], Deltas.Compute(f["delta"]), $"{key} compute_deltas of deltas", Rtol, 1e-5f);
    }

    [Theory]
    [InlineData("htk", MelScale.Htk, MelNorm.None)]
    [InlineData("slaney", MelScale.Slaney, MelNorm.Slaney)]
    public void MelFilterBank_MatchesMelscaleFbanks(string name, MelScale scale, MelNorm norm)
    {
        var expected = new SafeTensorsFileView("features/melbank.safetensors")[name];
        var actual = MelFilterBank.Create(257, 0, 8000, 64, 16000, norm, scale).Weights;
        Fixture.AssertClose(expected, actual, $"melscale_fbanks {name}", Rtol, Floor(expected) * 10);
    }

    [Theory]
    [InlineData(44100)]
    [InlineData(48000)]
    public void Resampler_MatchesTorchaudioKaiser(int rate)
    {
        var f = new SafeTensorsFileView("features/resample.safetensors");
        var actual = new Resampler(rate, 16000).Process(f[$"in_{rate}"].Data);
        var expected = f[$"out_{rate}"];
        Fixture.AssertClose(expected.Data, actual, $"resample {rate} -> 16000", Rtol, 1e-5f);
    }

    /// <summary>A loaded fixture file with its metadata.</summary>
    private sealed class SafeTensorsFileView(string relative)
    {
        private readonly Aver.Tensors.IO.SafeTensorsFile _file = Fixture.Load(relative);
        public Tensor this[string name] => _file.Tensors[name];
        public IReadOnlyDictionary<string, string> Meta => _file.Metadata;
    }
}
