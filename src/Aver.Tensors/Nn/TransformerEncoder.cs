namespace Aver.Tensors.Nn;

/// <summary>
/// A stack of encoder layers like <c>torch.nn.TransformerEncoder(layer, num_layers, norm)</c>:
/// children <c>layers.0</c>, <c>layers.1</c>, ... and an optional final <c>norm</c>.
/// </summary>
public sealed class TransformerEncoder : Module
{
    public ModuleList<TransformerEncoderLayer> Layers { get; }
    public LayerNorm? Norm { get; }

    /// <param name="makeLayer">Builds layer i (each gets its own weights, as torch's deep copies do after loading).</param>
    public TransformerEncoder(int numLayers, Func<int, TransformerEncoderLayer> makeLayer, LayerNorm? norm = null)
    {
        Layers = RegisterModule("layers", new ModuleList<TransformerEncoderLayer>());
        for (int i = 0; i < numLayers; i++) Layers.Add(makeLayer(i));
        if (norm is not null) Norm = RegisterModule("norm", norm);
    }

    public override Tensor Forward(Tensor src) => Forward(src, null);

    /// <summary>[N, T, d_model] -> [N, T, d_model]; <paramref name="keyPaddingMask"/> [N, T] as in <see cref="MultiheadAttention.Attend"/>.</summary>
    public Tensor Forward(Tensor src, Tensor? keyPaddingMask)
    {
        var x = src;
        foreach (var layer in Layers) x = layer.Forward(x, keyPaddingMask);
        return Norm is null ? x : Norm.Forward(x);
    }
}
