namespace Aver.Inference.Live;

/// <summary>How a live stream is answered: the timeline's windows, the visual sampling rate, the branches, the stall timeout.</summary>
public sealed record LiveOptions
{
    /// <summary>Timeline window length in seconds.</summary>
    public double WindowSeconds { get; init; } = 1.0;
    /// <summary>Seconds between window starts.</summary>
    public double WindowStep { get; init; } = 0.5;
    /// <summary>Frames per second the visual branch samples.</summary>
    public double VisualFps { get; init; } = 4;
    /// <summary>Run only these branches; null runs every branch the stream has a stream for.</summary>
    public IReadOnlySet<string>? Only { get; init; }
    /// <summary>A stream that delivers nothing for this long has stalled: the session ends with the summary so far.</summary>
    public double StallSeconds { get; init; } = 10;

    /// <summary>Live options with batch prediction's window, step, frame rate and branches.</summary>
    public static LiveOptions From(PredictionOptions p, double stallSeconds = 10) => new()
    {
        WindowSeconds = p.WindowSeconds, WindowStep = p.WindowStep, VisualFps = p.VisualFps, Only = p.Only, StallSeconds = stallSeconds,
    };

    /// <summary>The same settings as batch prediction's, so a live timeline and a file's timeline line up.</summary>
    public PredictionOptions Prediction => new() { WindowSeconds = WindowSeconds, WindowStep = WindowStep, VisualFps = VisualFps, Only = Only };

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        Prediction.Validate();
        if (!(StallSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(StallSeconds), StallSeconds, "stall timeout must be positive");
    }
}
