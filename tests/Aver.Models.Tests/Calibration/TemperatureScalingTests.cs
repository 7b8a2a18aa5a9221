using Aver.Models.Calibration;
using Aver.Tensors;

namespace Aver.Models.Tests.Calibration;

public class TemperatureScalingTests
{
    [Fact]
    public void Softmax_with_temperature_sums_to_one_and_flattens()
    {
        float[] z = [2f, 1f, -1f];
        var sharp = new float[3];
        var flat = new float[3];
        TemperatureScaling.Softmax(z, 1f, sharp);
        TemperatureScaling.Softmax(z, 4f, flat);
        Assert.Equal(1f, sharp.Sum(), 5);
        Assert.Equal(1f, flat.Sum(), 5);
        Assert.True(flat[0] < sharp[0] && flat[2] > sharp[2]);
        Assert.Equal(MathF.Exp(2) / (MathF.Exp(2) + MathF.Exp(1) + MathF.Exp(-1)), sharp[0], 5);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.5)]
    public void Fit_recovers_the_temperature_labels_were_drawn_with(double trueT)
    {
        // Labels sampled from softmax(z / T0): the NLL-minimising temperature is T0 up to sampling noise.
        var rng = new RandomStream(3);
        int n = 4000, c = 5;
        var logits = new float[n * c];
        var targets = new int[n];
        var p = new float[c];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < c; k++) logits[i * c + k] = (float)(rng.NextDouble() * 6 - 3);
            TemperatureScaling.Softmax(logits.AsSpan(i * c, c), (float)trueT, p);
            double u = rng.NextDouble(), acc = 0;
            targets[i] = c - 1;
            for (int k = 0; k < c; k++) { acc += p[k]; if (u < acc) { targets[i] = k; break; } }
        }
        double t = TemperatureScaling.Fit(logits, c, targets);
        Assert.InRange(t, trueT * 0.85, trueT * 1.15);
        Assert.True(TemperatureScaling.NegativeLogLikelihood(logits, c, targets, t) <= TemperatureScaling.NegativeLogLikelihood(logits, c, targets, 1) + 1e-9);
    }

    [Fact]
    public void Fit_rejects_logits_that_do_not_match_the_targets()
    {
        Assert.Throws<ArgumentException>(() => TemperatureScaling.Fit(new float[5], 2, [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Fit(new float[4], 2, [0, 2]));
    }
}
