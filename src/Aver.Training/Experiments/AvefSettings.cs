using Aver.Models.Avef;
using Aver.Models.Svm;
using Aver.Tensors;

namespace Aver.Training.Experiments;

/// <summary>
/// AVEF in an experiment (§2.2, Table 3): the networks, the stages' lengths, the DBN's pre-training,
/// the clip-level SVM, and transfer across corpora.
/// </summary>
/// <param name="Audio">The audio-network (its Classes is replaced by the label space's size).</param>
/// <param name="Visual">The visual-network, or null for audio-only AVEF.</param>
/// <param name="DbnHidden">The DBN's hidden layers.</param>
/// <param name="AudioEpochs">Epochs of the audio-network stage (0 skips it).</param>
/// <param name="VisualEpochs">Epochs of the visual-network stage (0 skips it).</param>
/// <param name="WholeEpochs">Epochs of the whole-model fine-tuning.</param>
/// <param name="WholeBatchSize">Batch size of the whole-model stage (Table 3: 10); null = the trainer's.</param>
/// <param name="Rbm">Contrastive-divergence settings of the Bernoulli RBMs (the Gaussian-Bernoulli first layer takes a tenth of the rate).</param>
/// <param name="Svm">The clip-level SVM (polynomial kernel, probabilities; §2.2.4).</param>
/// <param name="TransferFrom">An AVEF model trained on other corpora whose trunks are kept (§2.2), or null.</param>
/// <param name="FreezeShallow">With transfer, hold the kept trunks fixed.</param>
public sealed record AvefSettings(
    AudioNetConfig Audio, VisualNetConfig? Visual, IReadOnlyList<int> DbnHidden,
    int AudioEpochs = 10, int VisualEpochs = 10, int WholeEpochs = 10, int? WholeBatchSize = null,
    RbmTraining? Rbm = null, SvmParameters? Svm = null, string? TransferFrom = null, bool FreezeShallow = true)
{
    public bool AudioVisual => Visual is not null;

    /// <summary>The segment model as data (the registry's "avef" family).</summary>
    public AvefArchitecture Architecture => new(Audio, Visual, DbnHidden);

    /// <summary>A fresh segment model for <paramref name="classes"/> classes, initialised from <paramref name="rng"/>.</summary>
    public IAvefSegmentModel Build(int classes, RandomStream rng) => Architecture.Build(classes, rng);

    /// <summary>The Bernoulli RBMs' training (default: <see cref="RbmTraining"/>'s defaults).</summary>
    public RbmTraining BinaryRbm => Rbm ?? new RbmTraining();

    /// <summary>The Gaussian-Bernoulli RBM's training: the same with a tenth of the learning rate.</summary>
    public RbmTraining GaussianRbm => BinaryRbm with { LearningRate = BinaryRbm.LearningRate / 10 };

    /// <summary>The SVM's parameters (default: polynomial of degree 3, coef0 1, C 1, with probabilities).</summary>
    public SvmParameters SvmParameters => Svm ?? new SvmParameters(SvmKernel.Polynomial, Degree: 3, Coef0: 1, Probability: true);
}
