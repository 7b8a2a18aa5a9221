using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>Hyper-parameters of <see cref="DeepBeliefNetwork"/>.</summary>
/// <param name="InputSize">The visible layer: audio fc7 + visual fc7 (8192 = 4096 + 4096 in the paper).</param>
/// <param name="HiddenSizes">Hidden ("implicit") layers; the last one is the segment's fused feature (4096, 2048 in the paper).</param>
/// <param name="Classes">Softmax outputs C.</param>
public sealed record DbnConfig(int InputSize, IReadOnlyList<int> HiddenSizes, int Classes)
{
    /// <summary>The paper's 8192-4096-2048-C (§2.2.3).</summary>
    public static DbnConfig Paper(int classes) => new(8192, [4096, 2048], classes);

    /// <summary>A DBN over the compact nets' features: (audio + visual)-512-256-C.</summary>
    public static DbnConfig Compact(int inputSize, int classes) => new(inputSize, [512, 256], classes);

    /// <summary>Size of the last hidden layer (the fused segment feature).</summary>
    public int FeatureSize => HiddenSizes[^1];
}

/// <summary>What layer-wise pre-training did: each RBM's reconstruction error per epoch, before and after.</summary>
/// <param name="EpochErrors">Per layer, the mean CD reconstruction error of each epoch.</param>
/// <param name="Before">Per layer, <see cref="Rbm.ReconstructionError"/> on the layer's input before training.</param>
/// <param name="After">Per layer, the same after training.</param>
public sealed record DbnPretrainReport(IReadOnlyList<IReadOnlyList<float>> EpochErrors, IReadOnlyList<float> Before, IReadOnlyList<float> After);

/// <summary>
/// AVEF's segment fusion (§2.2.3): a deep belief network over the concatenated fc7 features of the
/// audio- and visual-network. <see cref="Pretrain"/> trains it greedily layer by layer as RBMs
/// (Hinton et al. 2006): a Gaussian-Bernoulli RBM on the standardised real-valued input, then
/// Bernoulli-Bernoulli RBMs on the hidden probabilities below. Then it is a feed-forward network
/// — standardise -> sigmoid hidden layers initialised from the RBMs -> linear output (softmax in the loss) —
/// fine-tuned by back-propagation together with both CNNs. Names: <c>input_mean</c>,
/// <c>input_scale</c> (buffers), <c>hidden.{i}.weight/bias</c>, <c>output.weight/bias</c>.
/// </summary>
public sealed class DeepBeliefNetwork : Module
{
    private readonly Tensor _inputMean, _inputScale;
    private readonly ModuleList<Linear> _hidden;
    private readonly Linear _output;

    public DbnConfig Config { get; }

    /// <summary>The sigmoid layers, bottom first.</summary>
    public ModuleList<Linear> Hidden => _hidden;

    /// <summary>The softmax output layer.</summary>
    public Linear Output => _output;

    public DeepBeliefNetwork(DbnConfig config, RandomStream? rng = null)
    {
        if (config.InputSize < 1 || config.Classes < 1 || config.HiddenSizes.Count == 0 || config.HiddenSizes.Any(h => h < 1))
            throw new ArgumentException($"DeepBeliefNetwork: invalid sizes {config.InputSize}-{string.Join("-", config.HiddenSizes)}-{config.Classes}");
        Config = config;
        rng ??= Init.Generator;
        // The standardisation of the visible layer: the GB-RBM assumes zero-mean, unit-variance inputs.
        _inputMean = RegisterBuffer("input_mean", new Tensor(config.InputSize));
        _inputScale = RegisterBuffer("input_scale", Tensor.Ones(config.InputSize));
        _hidden = RegisterModule("hidden", new ModuleList<Linear>());
        int inSize = config.InputSize;
        foreach (int h in config.HiddenSizes)
        {
            _hidden.Add(new Linear(inSize, h, rng: rng));
            inSize = h;
        }
        _output = RegisterModule("output", new Linear(inSize, config.Classes, rng: rng));
    }

    /// <summary>Class scores [N, C] and the last hidden layer [N, FeatureSize] of inputs [N, InputSize].</summary>
    public (Tensor Scores, Tensor Features) ForwardWithFeatures(Tensor x)
    {
        var h = Standardise(x);
        foreach (var layer in _hidden) h = layer.Forward(h).Sigmoid();
        return (_output.Forward(h), h);
    }

    /// <summary>Class scores [N, C] (logits) of inputs [N, InputSize].</summary>
    public override Tensor Forward(Tensor x) => ForwardWithFeatures(x).Scores;

    /// <summary>The standardised visible layer (x − mean) · scale.</summary>
    public Tensor Standardise(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Config.InputSize)
            throw new ShapeException($"DeepBeliefNetwork: expects inputs [N, {Config.InputSize}], got {ShapeMath.Format(x.Shape)}");
        return (x - _inputMean) * _inputScale;
    }

    /// <summary>
    /// Greedy layer-wise unsupervised pre-training on <paramref name="data"/> [N, InputSize] (e.g. the
    /// fc7 features of the training segments): sets the input standardisation from the data, trains
    /// one RBM per hidden layer (the first Gaussian-Bernoulli, with <paramref name="gaussian"/>, the
    /// others Bernoulli-Bernoulli with <paramref name="binary"/>), feeds each RBM's hidden
    /// probabilities to the next, and copies the weights and hidden biases into the sigmoid layers.
    /// The output layer is left as initialised; supervised fine-tuning trains it.
    /// </summary>
    public DbnPretrainReport Pretrain(Tensor data, RandomStream rng, RbmTraining? binary = null, RbmTraining? gaussian = null)
    {
        binary ??= new RbmTraining();
        gaussian ??= RbmTraining.GaussianDefaults;
        using var _ = GradMode.NoGrad();
        if (data.Rank != 2 || data.Dim(1) != Config.InputSize || data.Dim(0) < 2)
            throw new ShapeException($"DeepBeliefNetwork.Pretrain: expects at least two rows [N, {Config.InputSize}], got {ShapeMath.Format(data.Shape)}");
        FitStandardisation(data);
        var input = Standardise(data).Detach();
        var epochs = new List<IReadOnlyList<float>>();
        var before = new List<float>();
        var after = new List<float>();
        for (int i = 0; i < _hidden.Count; i++)
        {
            var kind = i == 0 ? RbmVisible.Gaussian : RbmVisible.Bernoulli;
            var rbm = new Rbm(input.Dim(1), _hidden[i].OutFeatures, kind, rng.Fork("rbm-init", i));
            before.Add(rbm.ReconstructionError(input));
            epochs.Add(rbm.Train(input, i == 0 ? gaussian : binary, rng.Fork("rbm-train", i)));
            after.Add(rbm.ReconstructionError(input));
            rbm.Weight.Data.AsSpan().CopyTo(_hidden[i].Weight.Data);
            rbm.HiddenBias.Data.AsSpan().CopyTo(_hidden[i].Bias!.Data);
            input = rbm.Forward(input).Detach();
        }
        return new DbnPretrainReport(epochs, before, after);
    }

    private void FitStandardisation(Tensor data)
    {
        int n = data.Dim(0), d = Config.InputSize;
        var mean = new double[d];
        var sq = new double[d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) { double v = data.Data[i * d + j]; mean[j] += v; sq[j] += v * v; }
        for (int j = 0; j < d; j++)
        {
            double m = mean[j] / n, var = Math.Max(0, sq[j] / n - m * m);
            _inputMean.Data[j] = (float)m;
            // A constant input (e.g. a ReLU feature that never fires) keeps scale 1 rather than blowing up.
            _inputScale.Data[j] = var > 1e-8 ? (float)(1 / Math.Sqrt(var)) : 1f;
        }
    }

    /// <summary>Transfer across corpora (§2.2): re-initialises every layer (PyTorch's default init) and resets the standardisation.</summary>
    public void ResetDeepLayers(RandomStream rng)
    {
        foreach (var layer in _hidden) AvefInit.ResetLinear(layer, rng);
        AvefInit.ResetLinear(_output, rng);
        Array.Clear(_inputMean.Data);
        Array.Fill(_inputScale.Data, 1f);
    }
}
