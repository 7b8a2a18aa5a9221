using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>The weights of one direction of one LSTM layer, with PyTorch's shapes.</summary>
/// <param name="WeightIh">[4H, F], gate blocks in the order i, f, g, o.</param>
/// <param name="WeightHh">[4H, H].</param>
/// <param name="BiasIh">[4H] or null.</param>
/// <param name="BiasHh">[4H] or null.</param>
public sealed record LstmWeights(Tensor WeightIh, Tensor WeightHh, Tensor? BiasIh, Tensor? BiasHh)
{
    public int HiddenSize => WeightHh.Dim(1);
    public int InputSize => WeightIh.Dim(1);
}

/// <summary>The result of an LSTM: the per-step hidden states and the final hidden and cell states.</summary>
/// <param name="Output">[N, T, D*H]: the last layer's hidden state at every step (directions side by side); zero at padded steps.</param>
/// <param name="H">[layers*D, N, H]: each sequence's hidden state after its own last step.</param>
/// <param name="C">[layers*D, N, H]: the cell states likewise.</param>
public sealed record LstmResult(Tensor Output, Tensor H, Tensor C);

/// <summary>
/// One LSTM layer, every direction, over a batch of padded sequences, as a single autograd op.
/// Speed comes from doing the input projection of all steps as one matrix product, then per step
/// one matrix product for the hidden projection of the whole batch and the fused cell kernel
/// (<see cref="LstmCell"/>); back-propagation through time mirrors it and ends with one matrix
/// product per weight.
/// </summary>
/// <remarks>
/// Variable lengths follow <c>pack_padded_sequence</c>: sequence n is active at steps
/// s &lt; lengths[n]; the forward direction reads time s, the reverse direction time
/// lengths[n]-1-s, so it starts at the sequence's own last valid step. An inactive sequence keeps
/// its state (so the final state is the one after its own last step) and outputs zero.
/// <para>The final states are separate tensors whose only parent is the output: their backward
/// leaves their gradient where the output's backward (which always runs after theirs, since they
/// depend on it) picks it up. That lets one op return three tensors in a one-output autograd.</para>
/// </remarks>
public static class LstmLayer
{
    /// <param name="input">[N, T, F].</param>
    /// <param name="directions">One set of weights (forward) or two (forward, reverse).</param>
    /// <param name="h0">[D, N, H] initial hidden states, or null for zeros.</param>
    /// <param name="c0">[D, N, H] initial cell states, or null for zeros.</param>
    /// <param name="lengths">Valid steps of each sequence (0..T), or null when all have T.</param>
    /// <returns>Output [N, T, D*H], H and C [D, N, H].</returns>
    public static LstmResult Forward(Tensor input, IReadOnlyList<LstmWeights> directions, Tensor? h0 = null, Tensor? c0 = null, int[]? lengths = null)
    {
        var shape = Check(input, directions, h0, c0, lengths);
        var inputs = new List<Tensor> { input };
        foreach (var w in directions)
        {
            inputs.Add(w.WeightIh); inputs.Add(w.WeightHh);
            if (w.BiasIh is not null) inputs.Add(w.BiasIh);
            if (w.BiasHh is not null) inputs.Add(w.BiasHh);
        }
        if (h0 is not null) inputs.Add(h0);
        if (c0 is not null) inputs.Add(c0);
        // Without a backward pass to come, the per-step states need not be kept.
        bool keep = GradMode.IsEnabled && inputs.Any(i => i.RequiresGrad);
        var run = new Run(input, directions, h0, c0, lengths ?? Full(shape.N, shape.T), shape, keep);
        run.Forward();

        var (n, t, d, h) = (shape.N, shape.T, shape.D, shape.H);
        var output = Tensor.FromOp("Lstm", run.Output, [n, t, d * h], inputs.ToArray(), o => run.Backward(o.Grad!));
        var finalH = Tensor.FromOp("LstmFinalH", run.FinalH, [d, n, h], [output], o => { run.FinalHGrad = o.ReleaseGrad(); output.GradBuffer(); });
        var finalC = Tensor.FromOp("LstmFinalC", run.FinalC, [d, n, h], [output], o => { run.FinalCGrad = o.ReleaseGrad(); output.GradBuffer(); });
        return new LstmResult(output, finalH, finalC);
    }

    private readonly record struct Dims(int N, int T, int F, int H, int D)
    {
        public int G => 4 * H;
    }

    private static int[] Full(int n, int t)
    {
        var l = new int[n];
        Array.Fill(l, t);
        return l;
    }

    private static Dims Check(Tensor x, IReadOnlyList<LstmWeights> dirs, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        if (x.Rank != 3) throw new ShapeException($"Lstm: input must be [N, T, F], got {ShapeMath.Format(x.Shape)}");
        if (dirs.Count is not (1 or 2)) throw new ArgumentException($"Lstm: one or two directions, got {dirs.Count}", nameof(dirs));
        int n = x.Dim(0), t = x.Dim(1), f = x.Dim(2), h = dirs[0].WeightHh.Dim(-1);
        foreach (var w in dirs)
        {
            bool ok = w.WeightIh.Rank == 2 && w.WeightIh.Dim(0) == 4 * h && w.WeightIh.Dim(1) == f
                && w.WeightHh.Rank == 2 && w.WeightHh.Dim(0) == 4 * h && w.WeightHh.Dim(1) == h
                && (w.BiasIh is null || (w.BiasIh.Rank == 1 && w.BiasIh.Dim(0) == 4 * h))
                && (w.BiasHh is null || (w.BiasHh.Rank == 1 && w.BiasHh.Dim(0) == 4 * h));
            if (!ok)
                throw new ShapeException($"Lstm: input {ShapeMath.Format(x.Shape)} does not fit weights ih {ShapeMath.Format(w.WeightIh.Shape)}, hh {ShapeMath.Format(w.WeightHh.Shape)}"
                    + $"{(w.BiasIh is null ? "" : ", bias " + ShapeMath.Format(w.BiasIh.Shape))} (expects ih [4H, F], hh [4H, H], bias [4H])");
        }
        foreach (var (s, name) in new[] { (h0, "h0"), (c0, "c0") })
            if (s is not null && !(s.Rank == 3 && s.Dim(0) == dirs.Count && s.Dim(1) == n && s.Dim(2) == h))
                throw new ShapeException($"Lstm: {name} is {ShapeMath.Format(s.Shape)}, expected [{dirs.Count}, {n}, {h}]");
        if (lengths is not null)
        {
            if (lengths.Length != n) throw new ArgumentException($"Lstm: {lengths.Length} lengths for a batch of {n}", nameof(lengths));
            for (int i = 0; i < n; i++)
                if (lengths[i] < 0 || lengths[i] > t)
                    throw new ArgumentOutOfRangeException(nameof(lengths), $"Lstm: length {lengths[i]} of sequence {i} is outside [0, {t}]");
        }
        return new Dims(n, t, f, h, dirs.Count);
    }

    /// <summary>One call's buffers: what the forward pass keeps for back-propagation through time.</summary>
    private sealed class Run(Tensor x, IReadOnlyList<LstmWeights> dirs, Tensor? h0, Tensor? c0, int[] lengths, Dims dims, bool keep)
    {
        public readonly float[] Output = new float[dims.N * dims.T * dims.D * dims.H];
        public readonly float[] FinalH = new float[dims.D * dims.N * dims.H];
        public readonly float[] FinalC = new float[dims.D * dims.N * dims.H];
        public float[]? FinalHGrad, FinalCGrad;

        // Per direction, in time layout (row = n*T + t): gate activations [4H], the cell after the
        // step, and the hidden and cell states before it. Unused rows (padding) stay zero.
        private readonly float[][] _gates = new float[dims.D][];
        private readonly float[][] _cell = new float[dims.D][];
        private readonly float[][] _hPrev = new float[dims.D][];
        private readonly float[][] _cPrev = new float[dims.D][];

        private int Time(int n, int step, bool reverse) => reverse ? lengths[n] - 1 - step : step;

        public void Forward()
        {
            var (n, t, f, h, d, g) = (dims.N, dims.T, dims.F, dims.H, dims.D, dims.G);
            // Input projections of every step and direction, plus both biases: [N*T, D*4H].
            var proj = TensorMemory.Rent(n * t * d * g);
            for (int k = 0; k < d; k++)
            {
                var w = dirs[k];
                var bias = new float[g];
                if (w.BiasIh is not null) TensorPrimitives.Add(bias, w.BiasIh.Data, bias);
                if (w.BiasHh is not null) TensorPrimitives.Add(bias, w.BiasHh.Data, bias);
                for (int r = 0; r < n * t; r++) bias.CopyTo(proj, r * d * g + k * g);
                Blas.Sgemm(false, true, n * t, g, f, 1f, x.Data, f, w.WeightIh.Data, f, 1f, proj.AsSpan(k * g), d * g);
            }
            Engine.For(dims.D, k => ForwardDirection(k, proj));
        }

        private void ForwardDirection(int k, float[] proj)
        {
            var (n, t, h, d, g) = (dims.N, dims.T, dims.H, dims.D, dims.G);
            bool reverse = k == 1;
            var whh = dirs[k].WeightHh.Data;
            // Without keep, one row of gates serves as scratch and no state is saved.
            var gates = keep ? _gates[k] = new float[n * t * g] : new float[g];
            var cell = keep ? _cell[k] = new float[n * t * h] : null;
            var hPrev = keep ? _hPrev[k] = new float[n * t * h] : null;
            var cPrev = keep ? _cPrev[k] = new float[n * t * h] : null;
            var hs = FinalH.AsSpan(k * n * h, n * h);
            var cs = FinalC.AsSpan(k * n * h, n * h);
            if (h0 is not null) h0.Data.AsSpan(k * n * h, n * h).CopyTo(hs);
            if (c0 is not null) c0.Data.AsSpan(k * n * h, n * h).CopyTo(cs);
            var hidden = new float[n * g];
            var scratch = new float[h];
            for (int s = 0; s < t; s++)
            {
                if (s > 0 || h0 is not null) Blas.Sgemm(false, true, n, g, h, hs, whh, hidden); // else h = 0
                for (int b = 0; b < n; b++)
                {
                    if (s >= lengths[b]) continue;
                    int row = b * t + Time(b, s, reverse);
                    var gr = gates.AsSpan(keep ? row * g : 0, g);
                    TensorPrimitives.Add(proj.AsSpan(row * d * g + k * g, g), hidden.AsSpan(b * g, g), gr);
                    var hb = hs.Slice(b * h, h); var cb = cs.Slice(b * h, h);
                    if (keep)
                    {
                        hb.CopyTo(hPrev.AsSpan(row * h, h));
                        cb.CopyTo(cPrev.AsSpan(row * h, h));
                    }
                    LstmCell.Forward(gr, cb, hb, scratch);
                    if (keep) cb.CopyTo(cell.AsSpan(row * h, h));
                    hb.CopyTo(Output.AsSpan(row * d * h + k * h, h));
                }
            }
        }

        public void Backward(float[] dOutput)
        {
            var (n, t, f, h, d, g) = (dims.N, dims.T, dims.F, dims.H, dims.D, dims.G);
            // Pre-activation gradients in the layout of the input projections: [N*T, D*4H].
            var dProj = new float[n * t * d * g];
            float[]? dh0 = h0?.RequiresGrad == true ? h0.GradBuffer() : null;
            float[]? dc0 = c0?.RequiresGrad == true ? c0.GradBuffer() : null;
            Engine.For(dims.D, k => BackwardDirection(k, dOutput, dProj, dh0, dc0));

            for (int k = 0; k < d; k++)
            {
                var w = dirs[k];
                var dk = dProj.AsSpan(k * g);
                if (w.WeightHh.RequiresGrad)
                    Blas.Sgemm(true, false, g, h, n * t, 1f, dk, d * g, _hPrev[k], h, 1f, w.WeightHh.GradBuffer(), h);
                if (w.WeightIh.RequiresGrad)
                    Blas.Sgemm(true, false, g, f, n * t, 1f, dk, d * g, x.Data, f, 1f, w.WeightIh.GradBuffer(), f);
                if (x.RequiresGrad)
                    Blas.Sgemm(false, false, n * t, f, g, 1f, dk, d * g, w.WeightIh.Data, f, 1f, x.GradBuffer(), f);
                if (w.BiasIh?.RequiresGrad == true || w.BiasHh?.RequiresGrad == true)
                {
                    var db = new float[g];
                    for (int r = 0; r < n * t; r++)
                        TensorPrimitives.Add(db, dProj.AsSpan(r * d * g + k * g, g), db);
                    if (w.BiasIh?.RequiresGrad == true) w.BiasIh.AccumulateGrad(db);
                    if (w.BiasHh?.RequiresGrad == true) w.BiasHh.AccumulateGrad(db);
                }
            }
        }

        private void BackwardDirection(int k, float[] dOutput, float[] dProj, float[]? dh0, float[]? dc0)
        {
            var (n, t, h, d, g) = (dims.N, dims.T, dims.H, dims.D, dims.G);
            bool reverse = k == 1;
            var whh = dirs[k].WeightHh.Data;
            var gates = _gates[k]; var cell = _cell[k]; var cPrev = _cPrev[k];
            // Gradients reaching the current hidden and cell states, seeded by the final states'.
            var dh = new float[n * h];
            var dc = new float[n * h];
            FinalHGrad?.AsSpan(k * n * h, n * h).CopyTo(dh);
            FinalCGrad?.AsSpan(k * n * h, n * h).CopyTo(dc);
            var dStep = new float[n * g];
            var dhPrev = new float[n * h];
            var scratch = new float[h];
            for (int s = t - 1; s >= 0; s--)
            {
                Array.Clear(dStep);
                for (int b = 0; b < n; b++)
                {
                    if (s >= lengths[b]) continue;
                    int row = b * t + Time(b, s, reverse);
                    var dhb = dh.AsSpan(b * h, h);
                    TensorPrimitives.Add(dhb, dOutput.AsSpan(row * d * h + k * h, h), dhb);
                    var dgb = dStep.AsSpan(b * g, g);
                    LstmCell.Backward(gates.AsSpan(row * g, g), cPrev.AsSpan(row * h, h), cell.AsSpan(row * h, h), dhb, dc.AsSpan(b * h, h), dgb, scratch);
                    dgb.CopyTo(dProj.AsSpan(row * d * g + k * g, g));
                }
                // The previous hidden state feeds this step's gates through W_hh; an inactive
                // sequence passes its state (and so its gradient) through unchanged.
                if (s == 0 && dh0 is null) break;
                Blas.Sgemm(false, false, n, h, g, dStep, whh, dhPrev);
                for (int b = 0; b < n; b++)
                    if (s < lengths[b]) dhPrev.AsSpan(b * h, h).CopyTo(dh.AsSpan(b * h, h));
            }
            if (dh0 is not null) TensorPrimitives.Add(dh0.AsSpan(k * n * h, n * h), dh, dh0.AsSpan(k * n * h, n * h));
            if (dc0 is not null) TensorPrimitives.Add(dc0.AsSpan(k * n * h, n * h), dc, dc0.AsSpan(k * n * h, n * h));
        }
    }
}
