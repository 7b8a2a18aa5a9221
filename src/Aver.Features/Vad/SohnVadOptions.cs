namespace Aver.Features.Vad;

/// <summary>Parameters of <see cref="SohnVad"/> (Sohn, Kim and Sung, IEEE SPL 6(1), 1999).</summary>
public sealed record SohnVadOptions
{
    /// <summary>Decision-directed weight alpha of the a-priori SNR estimate (Ephraim-Malah; Sohn uses 0.98).</summary>
    public double DecisionDirectedAlpha { get; init; } = 0.98;
    /// <summary>Floor of the a-priori SNR, -25 dB: limits musical-noise over-estimation.</summary>
    public double MinPrioriSnr { get; init; } = 0.003162;
    /// <summary>Threshold eta on the HMM-smoothed log-likelihood ratio (bins averaged). Without evidence the smoothed ratio settles at the HMM's prior odds, log(a01 / a10) = log 2, so eta sits well above it.</summary>
    public double Threshold { get; init; } = 3.0;
    /// <summary>Frames whose unsmoothed mean log-likelihood ratio is at most this update the noise spectrum.</summary>
    public double NoiseUpdateThreshold { get; init; } = 0.2;
    /// <summary>HMM transition P(speech at t | noise at t-1) of Sohn's hang-over scheme (eq. 11).</summary>
    public double NoiseToSpeech { get; init; } = 0.2;
    /// <summary>HMM transition P(noise at t | speech at t-1).</summary>
    public double SpeechToNoise { get; init; } = 0.1;
    /// <summary>Frames kept as speech after the smoothed decision falls (counter hang-over).</summary>
    public int HangoverFrames { get; init; } = 5;
    /// <summary>Fraction of lowest-energy frames whose mean spectrum starts the noise estimate.</summary>
    public double NoiseQuantile { get; init; } = 0.1;
    /// <summary>Lower bound of the noise spectrum, in dB relative to the mean power per bin of the clip's loud frames (95th percentile).</summary>
    public double NoiseFloorDb { get; init; } = -35;
    /// <summary>Smoothing of the noise spectrum update in non-speech frames.</summary>
    public double NoiseUpdate { get; init; } = 0.95;
}
