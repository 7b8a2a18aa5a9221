namespace Aver.Features.Spectral;

/// <summary>The Hz-to-mel mapping (torchaudio's mel_scale argument).</summary>
public enum MelScale
{
    /// <summary>m = 2595 log10(1 + f / 700) (HTK; torchaudio's default).</summary>
    Htk,
    /// <summary>Slaney's Auditory Toolbox: linear (f / (200/3)) below 1 kHz, logarithmic above (librosa's default).</summary>
    Slaney,
}

/// <summary>How each triangular filter is scaled (torchaudio's norm argument).</summary>
public enum MelNorm
{
    /// <summary>Peak 1.</summary>
    None,
    /// <summary>Area 1 in Hz: each filter divided by half its bandwidth (2 / (f[m+2] - f[m])).</summary>
    Slaney,
}

/// <summary>Conversions between Hz and mels.</summary>
public static class Mel
{
    private const double SlaneyStep = 200.0 / 3, SlaneyMinLogHz = 1000, SlaneyMinLogMel = SlaneyMinLogHz / SlaneyStep;
    private static readonly double SlaneyLogStep = Math.Log(6.4) / 27;

    public static double FromHz(double hz, MelScale scale = MelScale.Htk) => scale switch
    {
        MelScale.Htk => 2595 * Math.Log10(1 + hz / 700),
        _ => hz < SlaneyMinLogHz ? hz / SlaneyStep : SlaneyMinLogMel + Math.Log(hz / SlaneyMinLogHz) / SlaneyLogStep,
    };

    public static double ToHz(double mel, MelScale scale = MelScale.Htk) => scale switch
    {
        MelScale.Htk => 700 * (Math.Pow(10, mel / 2595) - 1),
        _ => mel < SlaneyMinLogMel ? mel * SlaneyStep : SlaneyMinLogHz * Math.Exp(SlaneyLogStep * (mel - SlaneyMinLogMel)),
    };
}
