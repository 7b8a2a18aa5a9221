using Aver.Data.Labels;

namespace Aver.Inference.Fusion;

/// <summary>
/// Decision-level fusion: the weighted average of calibrated class probabilities, p = Σ_m w_m p_m / Σ_m w_m,
/// over the branches that produced an answer. Probabilities of a branch trained in another label space are first
/// carried into the shared space by a <see cref="LabelMap"/> (the mass of unmapped classes is dropped and the rest renormalised).
/// </summary>
public static class DecisionFusion
{
    /// <summary>The weighted average of <paramref name="parts"/> (all in <paramref name="space"/>); null when there are none or all weights are zero.</summary>
    public static ClassProbabilities? Average(LabelSpace space, IReadOnlyList<(ClassProbabilities Probabilities, double Weight)> parts)
    {
        var sum = new double[space.Count];
        double total = 0;
        foreach (var (p, w) in parts)
        {
            if (!p.Space.Equals(space)) throw new ArgumentException($"decision fusion over {space.Name} was given probabilities in {p.Space.Name}");
            if (!(w >= 0)) throw new ArgumentOutOfRangeException(nameof(parts), w, "fusion weights must be non-negative");
            for (int i = 0; i < sum.Length; i++) sum[i] += w * p.Values[i];
            total += w;
        }
        if (total <= 0) return null;
        var values = new float[space.Count];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(sum[i] / total);
        return new ClassProbabilities(space, values);
    }

    /// <summary>
    /// <paramref name="p"/> carried into <paramref name="map"/>'s target space: each target class receives the mass of the
    /// source classes mapped to it; the result is renormalised (an all-unmapped distribution becomes uniform).
    /// </summary>
    public static ClassProbabilities Map(ClassProbabilities p, LabelMap map)
    {
        if (!p.Space.Equals(map.From)) throw new ArgumentException($"label map {map.Name} was given probabilities in {p.Space.Name}");
        var values = new float[map.To.Count];
        double kept = 0;
        for (int i = 0; i < p.Values.Length; i++)
            if (map.TryMap(p.Space[i], out var t)) { values[t.Index] += p.Values[i]; kept += p.Values[i]; }
        for (int i = 0; i < values.Length; i++) values[i] = kept > 0 ? (float)(values[i] / kept) : 1f / values.Length;
        return new ClassProbabilities(map.To, values);
    }
}
