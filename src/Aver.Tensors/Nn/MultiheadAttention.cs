namespace Aver.Tensors.Nn;

/// <summary>The result of an attention call: the attended values and the attention weights.</summary>
/// <param name="Output">[N, T, E].</param>
/// <param name="Weights">[N, heads, T, T]: softmax weights of each query over the keys (before dropout).</param>
public sealed record AttentionResult(Tensor Output, Tensor Weights);

/// <summary>
/// Multi-head self-attention like <c>torch.nn.MultiheadAttention(embed_dim, num_heads, dropout,
/// batch_first=True)</c> called as <c>attn(x, x, x, key_padding_mask)</c>: the same parameters
/// (<c>in_proj_weight</c> [3E, E], <c>in_proj_bias</c> [3E], <c>out_proj.weight</c>, <c>out_proj.bias</c>)
/// and initialisation, softmax(Q Kᵀ / √d) V per head with d = E / heads (Vaswani et al. 2017, eq. 1),
/// and dropout on the attention weights in training mode.
/// </summary>
public sealed class MultiheadAttention : Module
{
    public int EmbedDim { get; }
    public int NumHeads { get; }
    public int HeadDim => EmbedDim / NumHeads;
    public Tensor InProjWeight { get; }
    public Tensor InProjBias { get; }
    public Linear OutProj { get; }
    /// <summary>Dropout probability on the attention weights (training mode only).</summary>
    public float Dropout { get; }
    /// <summary>The stream dropout masks are drawn from; a trainer may assign its own fork.</summary>
    public RandomStream DropoutGenerator { get; set; }

    private static long _created;

    /// <param name="rng">Initialisation stream; defaults to <see cref="Init.Generator"/>.</param>
    public MultiheadAttention(int embedDim, int numHeads, float dropout = 0f, RandomStream? rng = null)
    {
        if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0)
            throw new ArgumentException($"MultiheadAttention: embed_dim {embedDim} must be a positive multiple of num_heads {numHeads}");
        (EmbedDim, NumHeads) = (embedDim, numHeads);
        InProjWeight = RegisterParameter("in_proj_weight", new Tensor(3 * embedDim, embedDim));
        InProjBias = RegisterParameter("in_proj_bias", new Tensor(3 * embedDim));
        OutProj = RegisterModule("out_proj", new Linear(embedDim, embedDim, rng: rng));
        // torch's _reset_parameters: xavier_uniform_ on the packed projection (fan_in E, fan_out 3E),
        // zero biases; out_proj.weight keeps Linear's default.
        Init.XavierUniform(InProjWeight, embedDim, 3 * embedDim, rng: rng);
        Init.Constant(OutProj.Bias!, 0f);
        if (!(dropout >= 0f && dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "MultiheadAttention: dropout must be in [0, 1)");
        Dropout = dropout;
        // torch keeps dropout as a float, not a submodule, so the state dict has no entry for it.
        DropoutGenerator = (rng ?? Init.Generator).Fork("attention-dropout", Interlocked.Increment(ref _created));
    }

    /// <summary>Self-attention over <paramref name="x"/> [N, T, E] with no padding -> [N, T, E].</summary>
    public override Tensor Forward(Tensor x) => Attend(x, null).Output;

    /// <summary>Self-attention over <paramref name="x"/> [N, T, E]; padded keys (mask true) get no weight -> [N, T, E].</summary>
    public Tensor Forward(Tensor x, Tensor? keyPaddingMask) => Attend(x, keyPaddingMask).Output;

    /// <summary>
    /// Self-attention over <paramref name="x"/> [N, T, E].
    /// </summary>
    /// <param name="keyPaddingMask">[N, T], nonzero where a step is padding (torch's bool
    /// <c>key_padding_mask</c>), or null. See <see cref="PaddingMask"/>. As in torch, a sequence
    /// whose steps are all padding yields NaN.</param>
    public AttentionResult Attend(Tensor x, Tensor? keyPaddingMask)
    {
        if (x.Rank != 3 || x.Dim(2) != EmbedDim)
            throw new ShapeException($"MultiheadAttention: input {ShapeMath.Format(x.Shape)} is not [N, T, {EmbedDim}]");
        int n = x.Dim(0), t = x.Dim(1);
        if (keyPaddingMask is not null && !(keyPaddingMask.Rank == 2 && keyPaddingMask.Dim(0) == n && keyPaddingMask.Dim(1) == t))
            throw new ShapeException($"MultiheadAttention: key padding mask {ShapeMath.Format(keyPaddingMask.Shape)} does not match input {ShapeMath.Format(x.Shape)} (expects [{n}, {t}])");

        var qkv = x.Linear(InProjWeight, InProjBias);
        var attention = ScaledDotProductAttention.Forward(qkv, NumHeads, keyPaddingMask, Training ? Dropout : 0f, DropoutGenerator);
        return new AttentionResult(OutProj.Forward(attention.Context), attention.Weights);
    }

    /// <summary>A key padding mask [N, T] from sequence lengths: 1 at steps t &gt;= lengths[n], else 0.</summary>
    public static Tensor PaddingMask(ReadOnlySpan<int> lengths, int steps)
    {
        var m = new Tensor(lengths.Length, steps);
        for (int i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 0 || lengths[i] > steps)
                throw new ArgumentOutOfRangeException(nameof(lengths), $"PaddingMask: length {lengths[i]} of sequence {i} is outside [0, {steps}]");
            m.Data.AsSpan(i * steps + lengths[i], steps - lengths[i]).Fill(1f);
        }
        return m;
    }
}
