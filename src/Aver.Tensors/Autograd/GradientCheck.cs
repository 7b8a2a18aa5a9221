namespace Aver.Tensors;

/// <summary>
/// Compares an op's analytic gradient with central finite differences. The scalar checked is
/// sum(f(x) * R) for a fixed random R, so every output element contributes; sums are taken in
/// double to keep float32 round-off out of the differences.
/// </summary>
public static class GradientCheck
{
    public sealed record Result(double MaxAbsError, double MaxRelError, int Checked, string Worst)
    {
        public override string ToString() => $"max abs err {MaxAbsError:G3}, max rel err {MaxRelError:G3} over {Checked} elements; worst {Worst}";
    }

    /// <param name="f">The function under test.</param>
    /// <param name="inputs">Leaf inputs; those with RequiresGrad are checked.</param>
    /// <param name="eps">Finite-difference step.</param>
    /// <param name="maxPerInput">At most this many elements per input are perturbed (chosen at random).</param>
    public static Result Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float eps = 1e-2f, int maxPerInput = 64, ulong seed = 1)
    {
        var rng = new RandomStream(seed);
        var probe = f(inputs);
        var r = new float[probe.Size];
        rng.FillUniform(r, -1f, 1f);
        foreach (var x in inputs) x.ZeroGrad();
        var loss = probe.Mul(new Tensor(r, probe.ShapeArray)).Sum();
        loss.Backward();

        double Objective()
        {
            using var _ = GradMode.NoGrad();
            var y = f(inputs);
            double s = 0;
            for (int i = 0; i < y.Size; i++) s += (double)y.Data[i] * r[i];
            return s;
        }

        double maxAbs = 0, maxRel = 0; int count = 0; string worst = "none";
        for (int xi = 0; xi < inputs.Length; xi++)
        {
            var x = inputs[xi];
            if (!x.RequiresGrad) continue;
            var analytic = x.Grad ?? new float[x.Size];
            var idx = x.Size <= maxPerInput ? Enumerable.Range(0, x.Size).ToArray() : rng.Permutation(x.Size)[..maxPerInput];
            foreach (int i in idx)
            {
                float orig = x.Data[i];
                x.Data[i] = orig + eps; double up = Objective();
                x.Data[i] = orig - eps; double down = Objective();
                x.Data[i] = orig;
                double numeric = (up - down) / (2 * eps);
                double abs = Math.Abs(numeric - analytic[i]);
                double rel = abs / Math.Max(1e-3, Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])));
                count++;
                if (rel > maxRel) { maxRel = rel; worst = $"input {xi} element {i}: analytic {analytic[i]:G5}, numeric {numeric:G5}"; }
                maxAbs = Math.Max(maxAbs, abs);
            }
        }
        return new Result(maxAbs, maxRel, count, worst);
    }
}
