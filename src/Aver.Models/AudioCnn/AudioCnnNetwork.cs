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

    public AudioCnnArchitecture Architecture { get; }

    internal AudioCnnNetwork(AudioCnnArchitecture architecture, int classes, RandomStream rng)
    {
        Architecture = architecture;
        var widths = architecture.BlockWidths;
        _cnn = RegisterModule("cnn", new Sequential());
        for (int i = 0, cin = architecture.InChannels; i < widths.Count; cin = widths[i], i++) _cnn.Add(new ConvBlock(cin, widths[i], rng));
        _dropout = RegisterModule("drop", new Dropout(architecture.Dropout));
        _fc = RegisterModule("fc", new Linear(widths[^1], classes, rng: rng));
        // Made last: a mean-pooling network draws its initial weights exactly as before this option existed.
        if (architecture.AttentionPooling) _attention = RegisterModule("attention", new Linear(widths[^1], 1, rng: rng));
    }

    /// <summary>Pooled features [N, last width] of log-mel images [N, InChannels, mels, frames].</summary>
    public Tensor Features(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(1) != Architecture.InChannels)
            throw new ShapeException($"AudioCnnNetwork: expects input [N, {Architecture.InChannels}, mels, frames], got {ShapeMath.Format(x.Shape)}");
        var h = _cnn.Forward(x);
        if (_attention is null) return h.Flatten(2).Mean(2);   // global average pooling over frequency and time
        // Attention over time: frames [N, T, C] (frequency averaged), a score per frame, softmax over T, weighted sum.
        int n = h.Dim(0), c = h.Dim(1), t = h.Dim(3);
        var frames = h.Mean(2).Transpose(1, 2);                               // [N, T, C]
        var weights = _attention.Forward(frames.Reshape(n * t, c)).Reshape(n, t).Softmax(1);
        return frames.Mul(weights.Reshape(n, t, 1)).Sum(1);                    // [N, C]
    }

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
