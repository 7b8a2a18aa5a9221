
namespace Aver.Training.Recipes;

/// <summary>Settings of <see cref="DefaultModelRecipe"/>; the defaults are those the shipped model was made with.</summary>
/// <param name="FerDir">FER2013 (folder layout or fer2013.csv): the visual branch's training data and its calibration hold-out.</param>
/// <param name="RavdessDir">RAVDESS (its speech16k audio is used): the audio branch's training and validation speakers.</param>
/// <param name="OutDir">The bundle folder to write (model.safetensors, MODEL_CARD.md, labels.txt).</param>
/// <param name="WorkDir">Run folders (FER pre-training and audio checkpoints; both resumable).</param>
/// <param name="VisualCheckpoint">An existing <c>aver pretrain</c> output to use instead of pre-training (it must come from <see cref="FerDir"/> with <see cref="FerSeed"/>, so its hold-out is known).</param>
public sealed record DefaultModelOptions(string FerDir, string RavdessDir, string OutDir, string WorkDir, string? VisualCheckpoint = null)
{
    /// <summary>
    /// Further <c>aver pretrain</c> outputs whose networks answer together with <see cref="VisualCheckpoint"/>'s as one
    /// ensemble (their mean probability); each made from the same data with the same split seed (`aver pretrain
    /// --split-seed`) and face standardisation, so the hold-out that calibrates the ensemble is held out by every member.
    /// </summary>
    public IReadOnlyList<string> VisualEnsemble { get; init; } = [];
    public int FerWidth { get; init; } = 16;
    public int FerEpochs { get; init; } = 8;
    public ulong FerSeed { get; init; } = 1;
    /// <summary>The face crop's vertical shift (<see cref="Aver.Data.Pipelines.FaceInput.VerticalShift"/>; results/2026-12-05/face-crop: −0.075 frames BlazeFace's box as FER2013 frames faces).</summary>
    public float FaceShift { get; init; }
    /// <summary>
    /// An audio-cnn experiment config (e.g. configs/ravdess-audio-cnn-tuned.yaml) whose recipe trains the audio branch
    /// as a log-mel CNN; null for MRPN's AM with <see cref="Audio"/>.
    /// </summary>
    public string? AudioConfig { get; init; }
    /// <summary>
    /// Further audio-cnn experiment configs whose networks answer together with <see cref="AudioConfig"/>'s as one
    /// ensemble (their mean probability), each trained on the same speakers by its own recipe and read through its own
    /// front end; their clip length, evaluation hop and sample rate must agree (they place the timeline).
    /// </summary>
    public IReadOnlyList<string> AudioEnsemble { get; init; } = [];
    /// <summary>
    /// Default-model bundles (comma-separated) whose log-mel audio networks are kept whole (weights, front ends, band
    /// statistics), alone or beside the networks of <see cref="AudioConfig"/>; <c>BUNDLE#audio.N</c> keeps its network N
    /// alone. The branch's temperature and weight are fitted anew on <see cref="ValidationSpeakers"/>.
    /// </summary>
    public string? AudioFrom { get; init; }
    public AudioNetworkSettings Audio { get; init; } = new(Width: 8, Pool: 4, Hidden: 64, ScoringHidden: 64, Dropout: 0.3f);
    public int AudioEpochs { get; init; } = 22;
    public double AudioLearningRate { get; init; } = 1e-3;
    public int AudioBatch { get; init; } = 8;
    public ulong AudioSeed { get; init; } = 7;
    /// <summary>RAVDESS actors held out for early stopping, calibration and the reported audio accuracy.</summary>
    public IReadOnlyList<string> ValidationSpeakers { get; init; } = ["15", "16"];
    /// <summary>Only the first N training clips and N validation clips (smoke runs); null for all.</summary>
    public int? Limit { get; init; }
    /// <summary>The command line that made the model, recorded in its card.</summary>
    public string? Command { get; init; }
}
