namespace Aver.Tensors.Nn;

/// <summary>
/// A multi-layer, optionally bidirectional LSTM, like <c>torch.nn.LSTM(input_size, hidden_size,
/// num_layers, bias, batch_first=True, dropout, bidirectional)</c>: the same parameter names
/// (<c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c>, and
/// <c>_reverse</c> for the second direction), shapes, gate order (i, f, g, o) and initialisation
/// U(-1/√H, 1/√H), so a torch state dict loads as it is.
/// </summary>
/// <remarks>
/// Input is batch-first [N, T, F]. Variable-length batches pass their lengths, which behaves
/// like <c>pack_padded_sequence(..., enforce_sorted=False)</c> followed by
/// <c>pad_packed_sequence</c>: padded steps output zero, final states are each sequence's own,
/// and the reverse direction starts at each sequence's last valid step. Each layer is one fused
/// op (<see cref="LstmLayer"/>).
/// </remarks>
public sealed class LSTM : Module
{
    private readonly LstmWeights[][] _layers;
    private static long _created;

    public int InputSize { get; }
    public int HiddenSize { get; }
    public int NumLayers { get; }
    public bool Bidirectional { get; }
    /// <summary>Dropout probability on the outputs of every layer but the last, in training mode only.</summary>
    public float Dropout { get; }
    public int Directions => Bidirectional ? 2 : 1;
    /// <summary>The stream dropout masks are drawn from; a trainer may assign its own fork.</summary>
    public RandomStream DropoutGenerator { get; set; }

    /// <param name="rng">Stream for the initial weights (default <see cref="Init.Generator"/>); dropout masks come from a fork of it.</param>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bidirectional = false, float dropout = 0f, bool bias = true, RandomStream? rng = null)
    {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"LSTM: input size {inputSize}, hidden size {hiddenSize} and layers {numLayers} must be positive");
        if (dropout is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "LSTM: dropout must be in [0, 1)");
        (InputSize, HiddenSize, NumLayers, Bidirectional, Dropout) = (inputSize, hiddenSize, numLayers, bidirectional, dropout);
        var init = rng ?? Init.Generator;
        DropoutGenerator = init.Fork("lstm-dropout", Interlocked.Increment(ref _created));
        int g = 4 * hiddenSize;
        _layers = new LstmWeights[numLayers][];
        for (int l = 0; l < numLayers; l++)
        {
            int inSize = l == 0 ? inputSize : hiddenSize * Directions;
            _layers[l] = new LstmWeights[Directions];
            for (int d = 0; d < Directions; d++)
            {
                string suffix = $"_l{l}{(d == 1 ? "_reverse" : "")}";
                _layers[l][d] = new LstmWeights(
                    RegisterParameter("weight_ih" + suffix, new Tensor(g, inSize)),
                    RegisterParameter("weight_hh" + suffix, new Tensor(g, hiddenSize)),
                    bias ? RegisterParameter("bias_ih" + suffix, new Tensor(g)) : null,
                    bias ? RegisterParameter("bias_hh" + suffix, new Tensor(g)) : null);
            }
        }
        // PyTorch's reset_parameters: every parameter, in order, from U(-1/sqrt(H), 1/sqrt(H)).
        float bound = 1f / MathF.Sqrt(hiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p, -bound, bound, init);
    }

    /// <summary>The weights of layer <paramref name="layer"/>, direction 0 (forward) or 1 (reverse).</summary>
    public LstmWeights Weights(int layer, int direction) => _layers[layer][direction];

    /// <summary>[N, T, F] -> [N, T, D*H], every sequence of full length and zero initial states.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Runs the LSTM over <paramref name="input"/> [N, T, F].
    /// </summary>
    /// <param name="lengths">Valid steps per sequence (any order), or null when all have T.</param>
    /// <param name="h0">Initial hidden states [layers*D, N, H], or null for zeros.</param>
    /// <param name="c0">Initial cell states [layers*D, N, H], or null for zeros.</param>
    /// <returns>Output [N, T, D*H] and final states H, C [layers*D, N, H], as <c>torch.nn.LSTM</c> returns them.</returns>
    public LstmResult Forward(Tensor input, int[]? lengths, Tensor? h0 = null, Tensor? c0 = null)
    {
        if (input.Rank != 3 || input.Dim(2) != InputSize)
            throw new ShapeException($"LSTM: input {ShapeMath.Format(input.Shape)} is not [N, T, {InputSize}]");
        int rows = NumLayers * Directions;
        foreach (var (s, name) in new[] { (h0, "h0"), (c0, "c0") })
            if (s is not null && !(s.Rank == 3 && s.Dim(0) == rows && s.Dim(1) == input.Dim(0) && s.Dim(2) == HiddenSize))
                throw new ShapeException($"LSTM: {name} is {ShapeMath.Format(s.Shape)}, expected [{rows}, {input.Dim(0)}, {HiddenSize}]");

        var x = input;
        var hs = new Tensor[NumLayers];
        var cs = new Tensor[NumLayers];
        for (int l = 0; l < NumLayers; l++)
        {
            if (l > 0) x = x.Dropout(Dropout, DropoutGenerator, Training);

            var r = LstmLayer.Forward(x, _layers[l], h0?.Narrow(0, l * Directions, Directions), c0?.Narrow(0, l * Directions, Directions), lengths);
            (x, hs[l], cs[l]) = (r.Output, r.H, r.C);
        }
        return NumLayers == 1
            ? new LstmResult(x, hs[0], cs[0])
            : new LstmResult(x, Tensor.Concat(hs, 0), Tensor.Concat(cs, 0));
    }
}
