using Aver.Data.Labels;

namespace Aver.Data.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs over a label space: rows are the true classes,
/// columns the predictions (MRPN Figures 10-11). Accuracy, unweighted average recall and the
/// per-class precision, recall and F1 all derive from it.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    public ConfusionMatrix(LabelSpace labels)
    {
        Labels = labels;
        _counts = new long[labels.Count * labels.Count];
    }

    /// <summary>A matrix from paired true and predicted class indices.</summary>
    public static ConfusionMatrix From(LabelSpace labels, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"ConfusionMatrix: {truth.Length} true labels but {predicted.Length} predictions");
        var m = new ConfusionMatrix(labels);
        for (int i = 0; i < truth.Length; i++) m.Add(truth[i], predicted[i]);
        return m;
    }

    /// <summary>The sum of several matrices over the same label space (e.g. all folds of a protocol).</summary>
    public static ConfusionMatrix Sum(IReadOnlyList<ConfusionMatrix> matrices)
    {
        if (matrices.Count == 0) throw new ArgumentException("ConfusionMatrix.Sum: no matrices");
        var total = new ConfusionMatrix(matrices[0].Labels);
        foreach (var m in matrices)
        {
            if (!m.Labels.Equals(total.Labels))
                throw new ArgumentException($"ConfusionMatrix.Sum: label space {m.Labels.Name} differs from {total.Labels.Name}");
            for (int i = 0; i < total._counts.Length; i++) total._counts[i] += m._counts[i];
        }
        return total;
    }

    public LabelSpace Labels { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => Labels.Count;

    /// <summary>Examples of true class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int truth, int predicted] => _counts[truth * Classes + predicted];

    /// <summary>Counts one example.</summary>
    public void Add(int truth, int predicted)
    {
        if ((uint)truth >= (uint)Classes || (uint)predicted >= (uint)Classes)
            throw new ArgumentOutOfRangeException(nameof(truth), $"ConfusionMatrix: pair ({truth}, {predicted}) outside label space '{Labels.Name}' ({Classes} classes)");
        _counts[truth * Classes + predicted]++;
    }

    /// <summary>All examples counted.</summary>
    public long Total { get { long s = 0; foreach (var c in _counts) s += c; return s; } }

    /// <summary>Examples whose true class is <paramref name="c"/> (the row sum).</summary>
    public long Support(int c) { long s = 0; for (int j = 0; j < Classes; j++) s += this[c, j]; return s; }

    /// <summary>Examples predicted as <paramref name="c"/> (the column sum).</summary>
    public long Predicted(int c) { long s = 0; for (int i = 0; i < Classes; i++) s += this[i, c]; return s; }

    /// <summary>Correct predictions over all examples (NaN when empty).</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (int c = 0; c < Classes; c++) correct += this[c, c];
            long total = Total;
            return total == 0 ? double.NaN : (double)correct / total;
        }
    }

    /// <summary>Recall of class <paramref name="c"/>: correct / support (NaN without support).</summary>
    public double Recall(int c) { long s = Support(c); return s == 0 ? double.NaN : (double)this[c, c] / s; }

    /// <summary>Precision of class <paramref name="c"/>: correct / predicted as c (NaN if never predicted).</summary>
    public double Precision(int c) { long p = Predicted(c); return p == 0 ? double.NaN : (double)this[c, c] / p; }

    /// <summary>F1 of class <paramref name="c"/>, the harmonic mean of precision and recall (0 when both are 0; NaN when undefined).</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        if (double.IsNaN(r)) return double.NaN;
        if (double.IsNaN(p)) p = 0; // never predicted: precision counts as 0, as scikit-learn's zero_division=0
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>
    /// Unweighted average recall: the mean of per-class recalls, each class counting the same however many
    /// examples it has. Classes without examples are left out (their recall is undefined); NaN when empty.
    /// </summary>
    public double UnweightedAverageRecall
    {
        get
        {
            double sum = 0;
            int n = 0;
            for (int c = 0; c < Classes; c++)
            {
                double r = Recall(c);
                if (!double.IsNaN(r)) { sum += r; n++; }
            }
            return n == 0 ? double.NaN : sum / n;
        }
    }

    /// <summary>Row <paramref name="truth"/> divided by its support (zeros without support).</summary>
    public double[] RowFractions(int truth)
    {
        long s = Support(truth);
        var row = new double[Classes];
        for (int j = 0; j < Classes; j++) row[j] = s == 0 ? 0 : (double)this[truth, j] / s;
        return row;
    }

    /// <summary>The counts as CSV: a header of predicted classes, then one row per true class.</summary>
    public string ToCsv()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(Aver.Data.Io.Csv.Line(Labels.Names.Prepend("true\\predicted")));
        for (int t = 0; t < Classes; t++)
            sb.AppendLine(Aver.Data.Io.Csv.Line(Enumerable.Range(0, Classes).Select(p => this[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture)).Prepend(Labels.Names[t])));
        return sb.ToString();
    }
}
