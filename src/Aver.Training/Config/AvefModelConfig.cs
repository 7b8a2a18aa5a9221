namespace Aver.Training.Config;

/// <summary>
/// <c>model.avef</c>: AVEF's architecture and stages (Ma et al. 2019, §2.2 and Table 3) for
/// <c>model.type: avef</c>. <c>model.modality: audio</c> runs audio-only AVEF (audio-net + DBN + SVM);
/// without it, audio-visual AVEF. <c>model.dropout</c> is the CNNs' fc dropout (Table 3: 0.3);
/// the face crops' size, colour and rate come from <c>features.video</c>; the optimiser, learning rate,
/// early stopping and batch size of the network stages from <c>training</c>.
/// </summary>
public sealed class AvefModelConfig
{
    /// <summary>1 = every segment; 2 = VAD drops silent segments and their face frames (§4.3.1).</summary>
    public int Case { get; set; } = 1;
    /// <summary>Case 2: a segment is kept when at least this fraction of its frames is speech.</summary>
    public double MinSpeechFraction { get; set; } = 0.5;
    /// <summary>Standardise each plane (log-mel, delta, delta-delta) over the clip's segments (not in the paper; speeds up training from scratch).</summary>
    public bool Standardize { get; set; } = true;
    /// <summary>Multiplier on AlexNet's conv widths 96-256-384-384-256 (1 = the paper's).</summary>
    public double AudioWidth { get; set; } = 0.25;
    /// <summary>fc6/fc7 width of the audio-network (4096 in the paper).</summary>
    public int AudioFc { get; set; } = 512;
    /// <summary>Multiplier on C3D's conv widths (1 = the paper's).</summary>
    public double VisualWidth { get; set; } = 0.25;
    /// <summary>fc6/fc7 width of the visual-network (4096 in the paper).</summary>
    public int VisualFc { get; set; } = 512;
    /// <summary>Batch norm after each convolution (not in AlexNet/C3D; helps training from scratch).</summary>
    public bool BatchNorm { get; set; }
    /// <summary>The DBN's hidden layers (4096, 2048 in the paper).</summary>
    public List<int> DbnHidden { get; set; } = [512, 256];
    /// <summary>Epochs of the audio-network stage (0 skips it: the whole model starts from initialisation or transfer).</summary>
    public int AudioEpochs { get; set; } = 10;
    /// <summary>Epochs of the visual-network stage.</summary>
    public int VisualEpochs { get; set; } = 10;
    /// <summary>Epochs of the whole-model fine-tuning (§2.2.3).</summary>
    public int WholeEpochs { get; set; } = 10;
    /// <summary>Batch size of the whole-model stage (Table 3: 10); training.batch_size when absent.</summary>
    public int? WholeBatchSize { get; set; }
    /// <summary>Contrastive-divergence epochs per RBM of the DBN pre-training.</summary>
    public int RbmEpochs { get; set; } = 10;
    /// <summary>CD learning rate of the Bernoulli RBMs (the first, Gaussian-Bernoulli one takes a tenth).</summary>
    public double RbmLearningRate { get; set; } = 0.05;
    /// <summary>Degree of the SVM's polynomial kernel (γ uᵀv + coef0)^degree (LIBSVM -d).</summary>
    public int SvmDegree { get; set; } = 3;
    /// <summary>LIBSVM -r.</summary>
    public double SvmCoef0 { get; set; } = 1;
    /// <summary>LIBSVM -c.</summary>
    public double SvmC { get; set; } = 1;
    /// <summary>LIBSVM -g; 1 / feature size when absent.</summary>
    public double? SvmGamma { get; set; }
    /// <summary>Transfer across corpora (§2.2): an AVEF model trained on other corpora whose convolutional trunks are kept; its deep layers are retrained here.</summary>
    public string? TransferFrom { get; set; }
    /// <summary>With transfer: hold the kept trunks fixed (true) or fine-tune them too (false).</summary>
    public bool FreezeShallow { get; set; } = true;
    /// <summary>Folder of the feature cache (relative to the working folder); runs/feature-cache when absent.</summary>
    public string? FeatureCache { get; set; }
}
