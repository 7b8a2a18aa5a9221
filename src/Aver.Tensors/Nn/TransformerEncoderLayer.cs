namespace Aver.Tensors.Nn;

/// <summary>
/// One Transformer encoder block like <c>torch.nn.TransformerEncoderLayer(d_model, nhead,
/// dim_feedforward, dropout, activation, batch_first=True, norm_first)</c>, with torch's submodule
/// names (<c>self_attn</c>, <c>linear1</c>, <c>dropout</c>, <c>linear2</c>, <c>norm1</c>, <c>norm2</c>,
/// <c>dropout1</c>, <c>dropout2</c>) so a torch state dict loads. Post-norm (default):
/// x = norm1(x + SA(x)); x = norm2(x + FF(x)). Pre-norm: x = x + SA(norm1(x)); x = x + FF(norm2(x)).
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    public MultiheadAttention SelfAttn { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }
    public bool NormFirst { get; }
    private readonly Dropout _dropout, _dropout1, _dropout2;
    private readonly Module _activation;
    private static long _created;

    /// <param name="activation">"relu" (torch's default) or "gelu".</param>
    /// <param name="rng">Initialisation stream; defaults to <see cref="Init.Generator"/>.</param>
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward = 2048, float dropout = 0.1f,
        string activation = "relu", float layerNormEps = 1e-5f, bool normFirst = false, RandomStream? rng = null)
    {
        _activation = activation switch
        {
            "relu" => new ReLU(),
            "gelu" => new GELU(),
            _ => throw new ArgumentException($"TransformerEncoderLayer: activation '{activation}' is not relu or gelu", nameof(activation)),
        };
        NormFirst = normFirst;
        long id = Interlocked.Increment(ref _created);
        RandomStream? DropoutStream(string name) => rng?.Fork(name, id);
        // Registration order follows torch's __init__, which fixes the state dict order.
        SelfAttn = RegisterModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, rng));
        Linear1 = RegisterModule("linear1", new Linear(dModel, dimFeedforward, rng: rng));
        _dropout = RegisterModule("dropout", new Dropout(dropout, DropoutStream("dropout")));
        Linear2 = RegisterModule("linear2", new Linear(dimFeedforward, dModel, rng: rng));
        Norm1 = RegisterModule("norm1", new LayerNorm(dModel, layerNormEps));
        Norm2 = RegisterModule("norm2", new LayerNorm(dModel, layerNormEps));
        _dropout1 = RegisterModule("dropout1", new Dropout(dropout, DropoutStream("dropout1")));
        _dropout2 = RegisterModule("dropout2", new Dropout(dropout, DropoutStream("dropout2")));
    }

    /// <summary>[N, T, d_model] -> [N, T, d_model], no padding.</summary>
    public override Tensor Forward(Tensor src) => Forward(src, null);

    /// <summary>[N, T, d_model] -> [N, T, d_model]; padded steps (mask nonzero, [N, T]) are not attended to.</summary>
    public Tensor Forward(Tensor src, Tensor? keyPaddingMask)
    {
        var x = src;
        if (NormFirst)
        {
            x = x.Add(SelfAttention(Norm1.Forward(x), keyPaddingMask));
            return x.Add(FeedForward(Norm2.Forward(x)));
        }
        x = Norm1.Forward(x.Add(SelfAttention(x, keyPaddingMask)));
        return Norm2.Forward(x.Add(FeedForward(x)));
    }

    private Tensor SelfAttention(Tensor x, Tensor? mask) => _dropout1.Forward(SelfAttn.Forward(x, mask));

    private Tensor FeedForward(Tensor x) => _dropout2.Forward(Linear2.Forward(_dropout.Forward(_activation.Forward(Linear1.Forward(x)))));
}
