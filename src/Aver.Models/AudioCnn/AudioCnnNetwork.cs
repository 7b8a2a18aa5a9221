using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.AudioCnn;

/// <summary>
/// The peer's compact speech-emotion CNN (<c>ravdess-audio-cnn.py</c>, class <c>Net</c>): blocks of conv 3x3
/// (padding 1, no bias) - batch norm - ReLU - max pool 2x2, global average pooling over frequency and time,
/// dropout, linear. Parameter names are the peer's state-dict names (<c>cnn.0.0.weight</c> is block 0's conv,
/// <c>cnn.0.1.*</c> its batch norm, <c>fc.*</c> the linear layer), with PyTorch's default initialisation.
/// </summary>
public sealed class AudioCnnNetwork : Module
{
    private readonly Sequential _cnn;
    private readonly Dropout _dropout;
    private readonly Linear _fc;
    private readonly Linear? _attention;
    private readonly ResLstmHead? _resLstm;

    public AudioCnnArchitecture Architecture { get; }

    internal AudioCnnNetwork(AudioCnnArchitecture architecture, int classes, RandomStream rng)
    {
        Architecture = architecture;
        var widths = architecture.BlockWidths;
        _cnn = RegisterModule("cnn", new Sequential());
        for (int i = 0, cin = architecture.InChannels; i < widths.Count; cin = widths[i], i++) _cnn.Add(new ConvBlock(cin, widths[i], rng));
        _dropout = RegisterModule("drop", new Dropout(architecture.Dropout));
        _fc = RegisterModule("fc", new Linear(architecture.FeatureSize, classes, rng: rng));
        // Made last: a mean-pooling network draws its initial weights exactly as before these options existed.
        if (architecture.AttentionPooling) _attention = RegisterModule("attention", new Linear(widths[^1], 1, rng: rng));
        if (architecture.ResLstm) _resLstm = RegisterModule("rnn", new ResLstmHead(architecture.FrameSize, architecture.Hidden, rng));
    }

    /// <summary>Pooled features [N, <see cref="AudioCnnArchitecture.FeatureSize"/>] of log-mel images [N, InChannels, mels, frames].</summary>
    public Tensor Features(Tensor x)
    {
        var a = Architecture;
        if (x.Rank != 4 || x.Dim(1) != a.InChannels || (a.BlockWidths.Count == 0 && x.Dim(2) != a.InBands))
            throw new ShapeException($"AudioCnnNetwork: expects input [N, {a.InChannels}, {(a.BlockWidths.Count == 0 ? a.InBands : "mels")}, frames], got {ShapeMath.Format(x.Shape)}");
        var h = _cnn.Forward(x);
        if (_attention is null && _resLstm is null) return h.Flatten(2).Mean(2);   // global average pooling over frequency and time
        var frames = Frames(h);
        if (_resLstm is not null) return _resLstm.Forward(frames);
        // Attention over time: a score per frame, softmax over T, weighted sum.
        int n = frames.Dim(0), t = frames.Dim(1), c = frames.Dim(2);
        var weights = _attention!.Forward(frames.Reshape(n * t, c)).Reshape(n, t).Softmax(1);
        return frames.Mul(weights.Reshape(n, t, 1)).Sum(1);                    // [N, C]
    }

    /// <summary>
    /// Time frames [N, T, D] of the last map [N, C, F, T]: averaged over frequency after conv blocks; without blocks the
    /// input's channels and bands themselves (D = C * F).
    /// </summary>
    private Tensor Frames(Tensor h) => Architecture.BlockWidths.Count > 0
        ? h.Mean(2).Transpose(1, 2)
        : h.Reshape(h.Dim(0), h.Dim(1) * h.Dim(2), h.Dim(3)).Transpose(1, 2);

    /// <summary>Class scores [N, classes].</summary>
    public override Tensor Forward(Tensor x) => _fc.Forward(_dropout.Forward(Features(x)));

    /// <summary>
    /// Class scores [N, classes] of clips given as K crops each, [N, K, InChannels, mels, frames]: the mean of the
    /// crops' logits (the peer's test-time averaging; K = 1 in training, one random crop per clip).
    /// </summary>
    public Tensor ForwardCrops(Tensor crops) => PerCrop(crops, Forward);

    /// <summary>The pooled features of clips given as K crops each (as <see cref="ForwardCrops"/>), averaged over the crops.</summary>
    public Tensor FeaturesOfCrops(Tensor crops) => PerCrop(crops, Features);

    private static Tensor PerCrop(Tensor crops, Func<Tensor, Tensor> f)
    {
        if (crops.Rank != 5) throw new ShapeException($"AudioCnnNetwork: expects crops [N, K, channels, mels, frames], got {ShapeMath.Format(crops.Shape)}");
        int n = crops.Dim(0), k = crops.Dim(1);
        var y = f(crops.Reshape(n * k, crops.Dim(2), crops.Dim(3), crops.Dim(4)));
        return k == 1 ? y : y.Reshape(n, k, y.Dim(1)).Mean(1);
    }

    /// <summary>conv 3x3 (no bias) - batch norm - ReLU (fused) - max pool 2x2, named "0" and "1" as the peer's nn.Sequential.</summary>
    private sealed class ConvBlock : Module
    {
        private readonly Conv2d _conv;
        private readonly BatchNorm2d _bn;

        public ConvBlock(int cin, int cout, RandomStream rng)
        {
            _conv = RegisterModule("0", new Conv2d(cin, cout, 3, padding: 1, bias: false, rng: rng));
            _bn = RegisterModule("1", new BatchNorm2d(cout));
        }

        public override Tensor Forward(Tensor x) => _bn.ForwardRelu(_conv.Forward(x)).MaxPool2d(2);
    }
}
