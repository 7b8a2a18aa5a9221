namespace Aver.Models.AudioCnn;

/// <summary>
/// A compact CNN over log-mel images as data: the family "audio-cnn" of <see cref="Spec.ModelRegistry"/>.
/// The defaults are the PyTorch peer's network (<c>../shared/peers/ravdess-audio-cnn.py</c>): four blocks
/// of 32-64-128-128 channels, dropout 0.3 before the linear layer (~0.24 M parameters with 8 classes).
/// </summary>
/// <param name="Widths">Output channels of each conv block (the peer's 32, 64, 128, 128).</param>
/// <param name="Dropout">Dropout before the final linear layer.</param>
/// <param name="InChannels">Input channels (1 for a log-mel image).</param>
/// <param name="Pooling">
/// How the last block's map becomes one vector: null or "mean" (the peer's global average over frequency and time) or
/// "attention" (the mean over frequency, then a softmax attention over time frames whose scores come from a learned
/// linear map of each frame: the frames that carry the emotion weigh more than pauses).
/// </param>
public sealed record AudioCnnArchitecture(IReadOnlyList<int>? Widths = null, float Dropout = 0.3f, int InChannels = 1, string? Pooling = null)
{
    public const string Family = "audio-cnn";

    /// <summary>The pooling names <see cref="Pooling"/> may take.</summary>
    public static readonly IReadOnlyList<string> Poolings = ["mean", "attention"];

    /// <summary>Whether the network pools over time with attention.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AttentionPooling => Pooling == "attention";

    /// <summary>The peer's widths.</summary>
    public static readonly IReadOnlyList<int> DefaultWidths = [32, 64, 128, 128];

    /// <summary>The block widths in use (<see cref="DefaultWidths"/> when none were given).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> BlockWidths => Widths ?? DefaultWidths;

    /// <summary>The network over <paramref name="classes"/> classes, freshly initialised from <paramref name="rng"/>; bad values name <paramref name="source"/>.</summary>
    public AudioCnnNetwork Build(int classes, Aver.Tensors.RandomStream rng, string source = "audio-cnn architecture")
    {
        if (BlockWidths.Count < 1 || BlockWidths.Any(w => w < 1)) throw new InvalidDataException($"{source}: audio-cnn widths must be one or more positive channel counts, got [{string.Join(", ", BlockWidths)}]");
        if (!(Dropout >= 0 && Dropout < 1)) throw new InvalidDataException($"{source}: audio-cnn dropout must be in [0, 1), got {Dropout}");
        if (InChannels < 1) throw new InvalidDataException($"{source}: audio-cnn in_channels must be positive, got {InChannels}");
        if (Pooling is not null && !Poolings.Contains(Pooling)) throw new InvalidDataException($"{source}: audio-cnn pooling must be one of {string.Join(", ", Poolings)}, got '{Pooling}'");
        return new AudioCnnNetwork(this, classes, rng);
    }
}
