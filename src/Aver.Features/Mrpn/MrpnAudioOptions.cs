namespace Aver.Features.Mrpn;

/// <summary>
/// The MRPN audio front end's parameters (MRPN §4.4 items 3-4); the defaults are the paper's:
/// 16 kHz, 1-s segments every 0.2 s, Hann 512 / hop 64, 256 bins x 250 frames, log magnitude.
/// </summary>
public sealed record MrpnAudioOptions
{
    public int SampleRate { get; init; } = 16000;
    /// <summary>Segment length in samples (1 s).</summary>
    public int SegmentSamples { get; init; } = 16000;
    /// <summary>Samples between segment starts: the 0.2-s over-sampling hop (§4.4 item 4). A multiple of <see cref="HopLength"/>.</summary>
    public int SegmentHopSamples { get; init; } = 3200;
    public int NFft { get; init; } = 512;
    public int HopLength { get; init; } = 64;
    /// <summary>Bins kept, from 0 Hz up: 256 drops the Nyquist bin (257th).</summary>
    public int Bins { get; init; } = 256;
    /// <summary>Frames per segment: SegmentSamples / HopLength = 250.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Frames => SegmentSamples / HopLength;
    /// <summary>log(|X| + epsilon): keeps silent bins finite.</summary>
    public float LogEpsilon { get; init; } = 1e-6f;

    /// <summary>Throws naming the first inconsistent option.</summary>
    public void Validate()
    {
        if (SegmentSamples % HopLength != 0 || SegmentHopSamples % HopLength != 0 || SegmentHopSamples <= 0)
            throw new ArgumentException($"MrpnAudioOptions: segment length {SegmentSamples} and hop {SegmentHopSamples} must be positive multiples of the STFT hop {HopLength}");
        if (Bins < 1 || Bins > NFft / 2 + 1)
            throw new ArgumentException($"MrpnAudioOptions: {Bins} bins out of range for n_fft {NFft}");
    }
}
