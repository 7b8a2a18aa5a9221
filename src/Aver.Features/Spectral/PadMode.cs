namespace Aver.Features.Spectral;

/// <summary>How <see cref="Stft"/> extends the signal by n_fft/2 at each end when centring frames (torch.stft's pad_mode).</summary>
public enum PadMode
{
    /// <summary>Mirror without repeating the edge sample: [3 2 | 1 2 3 | 2 1] (torch's default).</summary>
    Reflect,
    /// <summary>Zeros.</summary>
    Constant,
}
