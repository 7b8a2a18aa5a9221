using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>
/// What AVEF's audio-network (<see cref="AudioNet"/>) and visual-network (<see cref="VisualNet"/>)
/// share: a convolutional trunk (the "shallow layers" of AVEF §2.2's transfer) followed by the head
/// fc6 -> ReLU -> dropout -> fc7 -> ReLU -> dropout -> fc8 (the "deep layers"). fc7's activations are
/// the segment's feature for the DBN (§2.2.3); fc8 gives the unimodal class scores (eq. 2.3; the
/// softmax of eq. 2.4 is applied by the loss).
/// </summary>
public abstract class SegmentCnn : Module
{
    private readonly List<Module> _shallow = [];
    private Linear? _fc6, _fc7, _fc8;
    private Dropout? _drop6, _drop7;

    /// <summary>True while the convolutional trunk is held fixed (<see cref="FreezeShallowLayers"/>).</summary>
    public bool ShallowFrozen { get; private set; }

    /// <summary>Size of <see cref="Features"/> (fc7's width).</summary>
    public int FeatureSize => _fc7!.OutFeatures;

    /// <summary>Outputs of fc8 (the label space's size C).</summary>
    public int Classes => _fc8!.OutFeatures;

    /// <summary>Registers a layer of the trunk (a convolution or its batch norm), in forward order.</summary>
    protected T RegisterShallow<T>(string name, T module) where T : Module
    {
        _shallow.Add(module);
        return RegisterModule(name, module);
    }

    /// <summary>Builds fc6, fc7, fc8 and their dropouts over a flattened trunk output of <paramref name="flatSize"/>.</summary>
    protected void RegisterHead(int flatSize, int fcSize, int classes, float dropout, RandomStream rng)
    {
        if (flatSize < 1) throw new ArgumentException($"{GetType().Name}: the input is too small, the trunk leaves no features");
        if (fcSize < 1 || classes < 1) throw new ArgumentException($"{GetType().Name}: fc size {fcSize} and classes {classes} must be positive");
        _fc6 = RegisterModule("fc6", new Linear(flatSize, fcSize, rng: rng));
        _fc7 = RegisterModule("fc7", new Linear(fcSize, fcSize, rng: rng));
        _fc8 = RegisterModule("fc8", new Linear(fcSize, classes, rng: rng));
        _drop6 = new Dropout(dropout, rng.Fork("dropout6"));
        _drop7 = new Dropout(dropout, rng.Fork("dropout7"));
        RegisterModule("drop6", _drop6);
        RegisterModule("drop7", _drop7);
    }

    /// <summary>The trunk's output (after pool5), any rank with the batch first; checks the input shape.</summary>
    protected abstract Tensor Trunk(Tensor x);

    /// <summary>
    /// fc7 activations [N, FeatureSize] (after ReLU; after dropout in training mode, the same
    /// tensor fc8 sees). The segment's feature f_audio / f_visual of §2.2.3.
    /// </summary>
    public Tensor Features(Tensor x)
    {
        var h = Trunk(x).Flatten(1);
        h = _drop6!.Forward(_fc6!.Forward(h).Relu());
        return _drop7!.Forward(_fc7!.Forward(h).Relu());
    }

    /// <summary>fc8 scores [N, Classes] from <see cref="Features"/> (logits; softmax in the loss, eq. 2.4-2.6).</summary>
    public Tensor Scores(Tensor features) => _fc8!.Forward(features);

    /// <summary>Class scores [N, Classes] of a batch of segments.</summary>
    public override Tensor Forward(Tensor x) => Scores(Features(x));

    /// <summary>The trunk's layers (convolutions and batch norms), in forward order.</summary>
    public IReadOnlyList<Module> ShallowModules => _shallow;

    /// <summary>Parameters of the convolutional trunk (kept, frozen or at a lower learning rate, in transfer).</summary>
    public IEnumerable<Tensor> ShallowParameters() => _shallow.SelectMany(m => m.Parameters());

    /// <summary>Parameters of fc6-fc8 (re-initialised and retrained on the target corpus in transfer).</summary>
    public IEnumerable<Tensor> DeepParameters() => new Module[] { _fc6!, _fc7!, _fc8! }.SelectMany(m => m.Parameters());

    /// <summary>
    /// Transfer across corpora (§2.2): holds the trunk's weights fixed (no gradient, so optimisers
    /// skip them). Frozen batch norms also stay in evaluation mode so their statistics do not drift.
    /// </summary>
    public void FreezeShallowLayers(bool frozen = true)
    {
        ShallowFrozen = frozen;
        foreach (var m in _shallow)
        {
            m.RequiresGrad(!frozen);
            if (frozen) m.Eval(); else m.Train(Training);
        }
    }

    /// <summary>Transfer across corpora (§2.2): re-initialises fc6, fc7 and fc8 (PyTorch's default init) from <paramref name="rng"/>.</summary>
    public void ResetDeepLayers(RandomStream rng)
    {
        foreach (var fc in new[] { _fc6!, _fc7!, _fc8! }) AvefInit.ResetLinear(fc, rng);
    }

    public override Module Train(bool training = true)
    {
        base.Train(training);
        if (ShallowFrozen) foreach (var m in _shallow) m.Eval();
        return this;
    }

    /// <summary>Output length of a convolution or pooling along one axis (PyTorch's formula, floor mode).</summary>
    protected static int OutputLength(int length, int kernel, int stride, int padding) =>
        length + 2 * padding < kernel ? 0 : (length + 2 * padding - kernel) / stride + 1;
}
