using Aver.Data.Plots;
using Aver.Media.Drawing;
using Aver.Training.Training;

namespace Aver.Training.Plots;

/// <summary>Loss and accuracy per epoch, training (solid) and validation (dashed), side by side.</summary>
public static class TrainingCurves
{
    public static Canvas Render(IReadOnlyList<EpochMetrics> history, string title)
    {
        var c = new Canvas(1400, 560, Rgb.White);
        c.Text(700, 20, title, Rgb.Black, PlotArea.Scale, Align.Center, Align.Center);
        var train = Rgb.Category(0);
        var val = Rgb.Category(1);
        List<(double, double)> Points(Func<EpochMetrics, double?> f) => history.Select(h => ((double)h.Epoch, f(h) ?? double.NaN)).ToList();
        var loss = new List<Series> { new("train", train, Points(h => h.TrainLoss)) };
        var acc = new List<Series> { new("train", train, Points(h => h.TrainAccuracy)) };
        if (history.Any(h => h.ValidationLoss is not null))
        {
            loss.Add(new Series("validation", val, Points(h => h.ValidationLoss), Dashed: true));
            acc.Add(new Series("validation", val, Points(h => h.ValidationAccuracy), Dashed: true));
        }
        LineChart.Draw(c, new Rect(110, 70, 540, 400), "loss", "epoch", "cross-entropy", loss, yMin: 0);
        LineChart.Draw(c, new Rect(810, 70, 540, 400), "accuracy", "epoch", "accuracy", acc, yMin: 0, yMax: 1);
        return c;
    }
}
