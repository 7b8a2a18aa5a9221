using Aver.Features.LogMel;
using Aver.Features.Mrpn;
using Aver.Training.Training;

namespace Aver.Training.Config;

/// <summary>
/// An experiment as data (DESIGN.md: a YAML file per table of the papers): dataset, labels, protocol and
/// seed, model, strategy, training and feature parameters. Keys are snake_case in YAML. Defaults follow
/// MRPN §4.4-5.2. <see cref="ExperimentConfigLoader"/> reads and validates it.
/// </summary>
public sealed class ExperimentConfig
{
    /// <summary>Names the run folder and the report.</summary>
    public string? Name { get; set; }
    /// <summary>The one seed everything random derives from.</summary>
    public ulong Seed { get; set; }
    public DatasetConfig? Dataset { get; set; }
    /// <summary>A label space name known to <c>LabelSpaces</c> (e.g. ravdess8, cremad6, fer7).</summary>
    public string? Labels { get; set; }
    public ProtocolConfig? Protocol { get; set; }
    public ModelConfig? Model { get; set; }
    /// <summary>late-fusion (train unimodal nets, freeze, train the fusion) or end-to-end.</summary>
    public string Strategy { get; set; } = "end-to-end";
    /// <summary>The trainer's options, bound directly (keys in snake_case; <c>patience</c> (0 never stops early) and <c>time_augmentation</c> name two of them; the seed is the experiment's).</summary>
    public TrainerOptions Training { get; set; } = new();
    public FeaturesConfig Features { get; set; } = new();
}

public sealed class DatasetConfig
{
    /// <summary>Folder or CSV of the corpus; relative to the config file's folder.</summary>
    public string? Path { get; set; }
    /// <summary>ravdess, crema-d, emo-db, fer2013 or manifest.</summary>
    public string? Kind { get; set; }
}

public sealed class ProtocolConfig
{
    /// <summary>A protocol of <c>ProtocolRegistry</c>: ravdess-pairs, crema-d, loso, losgo, speaker-kfold, random, predefined.</summary>
    public string? Name { get; set; }
    /// <summary>Protocol parameters; <c>k</c> (groups or folds) is the one protocols take now.</summary>
    public Dictionary<string, string> Params { get; set; } = [];
    /// <summary>Seed of the split; the experiment's seed when absent.</summary>
    public ulong? Seed { get; set; }
    /// <summary>Run only these folds (by name, e.g. "A1,2"); all when empty.</summary>
    public List<string> Folds { get; set; } = [];
}

public sealed class ModelConfig
{
    /// <summary>mrpn (N0/N1/N2 over audio and video), unimodal (AM or VM), classifier (a single-image CNN, e.g. FER2013 pre-training), avef (AVEF, Ma et al. 2019) or audio-cnn (a compact log-mel CNN).</summary>
    public string? Type { get; set; }
    /// <summary>mrpn: N0, N1 or N2 (MRPN eqs. 7-9).</summary>
    public string? Variant { get; set; }
    /// <summary>unimodal and classifier: audio or video.</summary>
    public string? Modality { get; set; }
    /// <summary>lstm, bilstm or transformer (A_m of eq. 1).</summary>
    public string Aggregator { get; set; } = "lstm";
    /// <summary>ResNet-18 base width (64 in the paper; smaller trains on a CPU).</summary>
    public int ExtractorWidth { get; set; } = 64;
    /// <summary>Width of the visual extractor F_v when it differs from <see cref="ExtractorWidth"/> (e.g. 16 to start from the width-16 FER2013 checkpoint).</summary>
    public int? VisualWidth { get; set; }
    /// <summary>[C, H, W] of a spectrogram segment (MRPN §4.4: 1 × 256 × 250).</summary>
    public List<int> AudioInput { get; set; } = [1, 256, 250];
    /// <summary>[C, H, W] of a face crop: must match features.video (C = 3 for rgb, 1 for gray; H = W = face_size).</summary>
    public List<int> VideoInput { get; set; } = [3, 112, 112];
    /// <summary>Hidden size of the aggregator (LSTM state or transformer model size).</summary>
    public int AggregatorHidden { get; set; } = 256;
    /// <summary>Hidden size of Scoring's first DenseUnit (eq. 2).</summary>
    public int ScoringHidden { get; set; } = 128;
    public double Dropout { get; set; } = 0.3;
    /// <summary>Optional safetensors files initialising the extractors (e.g. the FER2013 pre-trained visual CNN).</summary>
    public string? VisualInit { get; set; }
    public string? AudioInit { get; set; }
    /// <summary>
    /// Late fusion: trained unimodal networks to freeze instead of training them in this run: a
    /// <c>best.safetensors</c> file (the same network for every fold) or a model folder of an earlier run,
    /// <c>RUN/folds/MODEL</c>, holding <c>&lt;fold&gt;/best.safetensors</c> per fold (no test speaker leaks).
    /// </summary>
    public string? AudioNetwork { get; set; }
    /// <inheritdoc cref="AudioNetwork"/>
    public string? VisualNetwork { get; set; }
    /// <summary>avef: the AVEF settings (<see cref="AvefModelConfig"/>).</summary>
    public AvefModelConfig? Avef { get; set; }
    /// <summary>audio-cnn: the compact log-mel CNN's settings (<see cref="AudioCnnModelConfig"/>).</summary>
    public AudioCnnModelConfig? AudioCnn { get; set; }
}

public sealed class FeaturesConfig
{
    /// <summary>MRPN's audio front end (§4.4 items 3-4), bound directly: sample_rate, segment_samples, segment_hop_samples, n_fft, hop_length, bins, log_epsilon.</summary>
    public MrpnAudioOptions Audio { get; set; } = new();
    public VideoFeaturesConfig Video { get; set; } = new();
    /// <summary>The log-mel front end of model.type audio-cnn, bound directly (<see cref="LogMelOptions"/>; the peer's when absent).</summary>
    public LogMelOptions? LogMel { get; set; }
}

/// <summary>Face crops: size, colour, frame rate, and the minimum slice length of time augmentation (MRPN §4.4 item 2: one second).</summary>
public sealed class VideoFeaturesConfig
{
    public int FaceSize { get; set; } = 112;
    public string Color { get; set; } = "rgb";
    public double Fps { get; set; } = 10;
    public double MinSliceSeconds { get; set; } = 1.0;
    /// <summary>MRPN §4.4 item 1: one random zoom, shift, flip, rotation, brightness and contrast per training clip (with time_augmentation on).</summary>
    public bool SpatialAugmentation { get; set; } = true;
}
