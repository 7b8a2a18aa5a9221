using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Models.Avef;

/// <summary>The outputs of <see cref="AvefNetwork"/> for a batch of aligned audio/visual segments.</summary>
/// <param name="Scores">The DBN's class scores [N, C] (logits; softmax in the loss).</param>
/// <param name="Fused">The DBN's last hidden layer [N, FeatureSize]: the segment's multi-modal feature (§2.2.4's SVM input after pooling).</param>
/// <param name="AudioScores">The audio-network's own fc8 scores [N, C] (unimodal results).</param>
/// <param name="VisualScores">The visual-network's own fc8 scores [N, C]; null for audio-only AVEF.</param>
public sealed record AvefOutput(Tensor Scores, Tensor Fused, Tensor AudioScores, Tensor? VisualScores);

/// <summary>
/// AVEF's learning model (§2.2, Fig. 1) up to segment fusion: the audio-network A(a; θ^A), the
/// visual-network V(v; θ^V) and the DBN over [f_audio, f_visual] (the two fc7 vectors concatenated,
/// 1:1), trained "as a whole model" (§2.2.3): gradients of the DBN's loss reach both CNNs.
/// Children: <c>audio</c>, <c>visual</c>, <c>dbn</c>.
/// </summary>
public sealed class AvefNetwork : Module, IAvefSegmentModel
{
    public AudioNet Audio { get; }
    public VisualNet Visual { get; }
    public DeepBeliefNetwork Dbn { get; }
    VisualNet? IAvefSegmentModel.Visual => Visual;
    Module IAvefSegmentModel.Module => this;

    public AvefNetwork(AudioNet audio, VisualNet visual, DeepBeliefNetwork dbn)
    {
        if (dbn.Config.InputSize != audio.FeatureSize + visual.FeatureSize)
            throw new ArgumentException($"AvefNetwork: the DBN takes {dbn.Config.InputSize} inputs, the nets give {audio.FeatureSize} + {visual.FeatureSize}");
        if (audio.Classes != dbn.Config.Classes || visual.Classes != dbn.Config.Classes)
            throw new ArgumentException($"AvefNetwork: class counts differ (audio {audio.Classes}, visual {visual.Classes}, DBN {dbn.Config.Classes})");
        Audio = RegisterModule("audio", audio);
        Visual = RegisterModule("visual", visual);
        Dbn = RegisterModule("dbn", dbn);
    }

    /// <summary>Builds the three parts of <paramref name="config"/>, with independent initialisation streams forked from <paramref name="rng"/>.</summary>
    public AvefNetwork(AvefConfig config, RandomStream rng)
        : this(new AudioNet(config.Audio, rng.Fork("audio")), new VisualNet(config.Visual, rng.Fork("visual")), new DeepBeliefNetwork(config.Dbn, rng.Fork("dbn")))
    { }

    /// <summary>The architecture (for a model file's metadata).</summary>
    public AvefConfig Config => new(Audio.Config, Visual.Config, Dbn.Config.HiddenSizes);

    /// <summary>
    /// Saves the weights as safetensors (atomically) with <c>architecture</c> = avef and <c>avef_config</c>
    /// (JSON) in the metadata, plus <paramref name="metadata"/> (e.g. the label space), so <see cref="FromFile"/> rebuilds it.
    /// </summary>
    public void SaveModel(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        AvefModelFile.Save(this, path, AvefConfig.Architecture, Config.ToJson(), metadata);

    /// <summary>Rebuilds a network saved by <see cref="SaveModel"/> from the file alone; returns it with the file's metadata.</summary>
    public static (AvefNetwork Network, IReadOnlyDictionary<string, string> Metadata) FromFile(string path) => AvefModelFile.Load<AvefNetwork>(path);

    /// <summary>[f_audio, f_visual] [N, audio fc7 + visual fc7] of aligned segments: audio [N, 3, 64, 64], faces [N, C, 16, H, W].</summary>
    public Tensor SegmentFeatures(Tensor audio, Tensor visual) => Tensor.Concat([Audio.Features(audio), Visual.Features(CheckAligned(audio, visual))], 1);

    /// <summary>The forward pass on aligned segments: audio [N, 3, 64, 64], faces [N, C, 16, H, W].</summary>
    public AvefOutput Forward(Tensor audio, Tensor visual)
    {
        CheckAligned(audio, visual);
        var fa = Audio.Features(audio);
        var fv = Visual.Features(visual);
        var (scores, fused) = Dbn.ForwardWithFeatures(Tensor.Concat([fa, fv], 1));
        return new AvefOutput(scores, fused, Audio.Scores(fa), Visual.Scores(fv));
    }

    Tensor IAvefSegmentModel.SegmentFeatures(Tensor audio, Tensor? visual) => SegmentFeatures(audio, RequireVisual(visual));

    AvefOutput IAvefSegmentModel.Forward(Tensor audio, Tensor? visual) => Forward(audio, RequireVisual(visual));

    private static Tensor RequireVisual(Tensor? visual) =>
        visual ?? throw new ArgumentException("AvefNetwork needs face segments aligned to the audio segments; use AvefAudioNetwork for audio only");

    private static Tensor CheckAligned(Tensor audio, Tensor visual)
    {
        if (audio.Rank == 0 || visual.Rank == 0 || audio.Dim(0) != visual.Dim(0))
            throw new ShapeException($"AvefNetwork: audio {ShapeMath.Format(audio.Shape)} and visual {ShapeMath.Format(visual.Shape)} segments must be aligned (same N)");
        return visual;
    }

    /// <summary>Transfer across corpora (§2.2): freezes (or unfreezes) both CNNs' convolutional trunks.</summary>
    public void FreezeShallowLayers(bool frozen = true)
    {
        Audio.FreezeShallowLayers(frozen);
        Visual.FreezeShallowLayers(frozen);
    }

    /// <summary>Transfer across corpora (§2.2): re-initialises fc6-fc8 of both CNNs and the whole DBN, "trained from scratch" on the target corpus.</summary>
    public void ResetDeepLayers(RandomStream rng)
    {
        Audio.ResetDeepLayers(rng.Fork("audio"));
        Visual.ResetDeepLayers(rng.Fork("visual"));
        Dbn.ResetDeepLayers(rng.Fork("dbn"));
    }

    /// <summary>Sets the mode of every part; trunks frozen for transfer stay in evaluation mode.</summary>
    public override Module Train(bool training = true)
    {
        base.Train(training);
        // Module.Train sets descendants' flags directly; the nets' own Train re-applies their frozen trunks.
        Audio.Train(training);
        Visual.Train(training);
        return this;
    }

    /// <summary>The convolutional trunks' parameters.</summary>
    public IEnumerable<Tensor> ShallowParameters() => Audio.ShallowParameters().Concat(Visual.ShallowParameters());

    /// <summary>fc6-fc8 of both CNNs and the DBN's layers.</summary>
    public IEnumerable<Tensor> DeepParameters() => Audio.DeepParameters().Concat(Visual.DeepParameters()).Concat(Dbn.Parameters());

    /// <summary>
    /// Parameter groups for transfer with a lower learning rate on the kept layers instead of freezing
    /// them: the trunks at <paramref name="shallowLearningRate"/>, the deep layers at the optimiser's default.
    /// </summary>
    public IReadOnlyList<ParamGroup> TransferParamGroups(double shallowLearningRate) =>
        [new ParamGroup(ShallowParameters(), learningRate: shallowLearningRate), new ParamGroup(DeepParameters())];

    /// <summary>
    /// Starts transfer across corpora (§2.2) from a model trained on other corpora: copies the
    /// convolutional trunks' weights (and batch-norm statistics) from <paramref name="path"/>
    /// (safetensors of an AvefNetwork with the same trunks; its deep layers may differ, e.g. another
    /// class count), keeps them (frozen when <paramref name="freezeShallow"/>, else trainable, e.g.
    /// with <see cref="TransferParamGroups"/>), and re-initialises the deep layers from <paramref name="rng"/>.
    /// </summary>
    public void StartTransfer(string path, RandomStream rng, bool freezeShallow = true)
    {
        AvefInit.LoadShallow(this, Audio.ShallowModules.Concat(Visual.ShallowModules), path);
        ResetDeepLayers(rng);
        FreezeShallowLayers(freezeShallow);
    }
}
