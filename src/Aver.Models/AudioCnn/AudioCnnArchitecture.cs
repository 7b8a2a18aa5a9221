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
/// How the last block's map becomes one vector: null or "mean" (the peer's global average over frequency and time),
/// "attention" (the mean over frequency, then a softmax attention over time frames whose scores come from a learned
/// linear map of each frame: the frames that carry the emotion weigh more than pauses), or "reslstm" (the frames
/// through a residual LSTM and a soft attention, ResLSTM-SA of Krasnoproshin and Vashkevich 2026: see
/// <see cref="ResLstmHead"/>).
/// </param>
/// <param name="RecurrentHidden">The hidden size of ResLSTM-SA's second LSTM (their best: 64); null for 64.</param>
/// <param name="InBands">
/// Frequency bands of the input (the log-mel's mels): needed only by a "reslstm" network without conv blocks, whose
/// frames are the input's bands themselves.
/// </param>
public sealed record AudioCnnArchitecture(IReadOnlyList<int>? Widths = null, float Dropout = 0.3f, int InChannels = 1, string? Pooling = null,
    int? RecurrentHidden = null, int? InBands = null)
{
    public const string Family = "audio-cnn";

    /// <summary>The pooling names <see cref="Pooling"/> may take.</summary>
    public static readonly IReadOnlyList<string> Poolings = ["mean", "attention", "reslstm"];

    /// <summary>Whether the network pools over time with attention.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AttentionPooling => Pooling == "attention";

    /// <summary>Whether the frames go through ResLSTM-SA (<see cref="ResLstmHead"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ResLstm => Pooling == "reslstm";

    /// <summary>ResLSTM-SA's hidden size in use.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Hidden => RecurrentHidden ?? 64;

    /// <summary>
    /// The size of each time frame the pooling sees: the last block's channels (its map averaged over frequency), or
    /// with no blocks the input's channels times bands.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int FrameSize => BlockWidths.Count > 0 ? BlockWidths[^1] : InChannels * (InBands ?? 0);

    /// <summary>The size of the pooled vector the linear layer reads.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int FeatureSize => ResLstm ? Hidden : FrameSize;

    /// <summary>The peer's widths.</summary>
    public static readonly IReadOnlyList<int> DefaultWidths = [32, 64, 128, 128];

    /// <summary>The block widths in use (<see cref="DefaultWidths"/> when none were given).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<int> BlockWidths => Widths ?? DefaultWidths;

    /// <summary>
    /// The network in a few words, the one description reports, cards and `aver predict` print: "audio CNN 32-64-128-256",
    /// with its pooling when not the mean ("audio CNN 32-64, attention pooling"), or "ResLSTM-SA 64" (its input, the
    /// bands themselves, is the front end's to describe).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Summary =>
        BlockWidths.Count == 0 ? $"ResLSTM-SA {Hidden}"
        : $"audio CNN {string.Join("-", BlockWidths)}" + (ResLstm ? $", ResLSTM-SA {Hidden}" : AttentionPooling ? ", attention pooling" : "");

    /// <summary>The network over <paramref name="classes"/> classes, freshly initialised from <paramref name="rng"/>; bad values name <paramref name="source"/>.</summary>
    public AudioCnnNetwork Build(int classes, Aver.Tensors.RandomStream rng, string source = "audio-cnn architecture")
    {
        if ((BlockWidths.Count < 1 && !ResLstm) || BlockWidths.Any(w => w < 1))
            throw new InvalidDataException($"{source}: audio-cnn widths must be one or more positive channel counts (none only with pooling reslstm), got [{string.Join(", ", BlockWidths)}]");
        if (ResLstm && BlockWidths.Count == 0 && InBands is not > 0) throw new InvalidDataException($"{source}: audio-cnn without conv blocks needs in_bands (the input's frequency bands), got {InBands?.ToString() ?? "none"}");
        if (Hidden < 1) throw new InvalidDataException($"{source}: audio-cnn recurrent_hidden must be positive, got {Hidden}");
        if (!(Dropout >= 0 && Dropout < 1)) throw new InvalidDataException($"{source}: audio-cnn dropout must be in [0, 1), got {Dropout}");
        if (InChannels < 1) throw new InvalidDataException($"{source}: audio-cnn in_channels must be positive, got {InChannels}");
        if (Pooling is not null && !Poolings.Contains(Pooling)) throw new InvalidDataException($"{source}: audio-cnn pooling must be one of {string.Join(", ", Poolings)}, got '{Pooling}'");
        return new AudioCnnNetwork(this, classes, rng);
    }
}
