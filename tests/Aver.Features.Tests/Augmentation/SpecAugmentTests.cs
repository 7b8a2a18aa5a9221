using Aver.Features.Augmentation;
using Aver.Tensors;

namespace Aver.Features.Tests.Augmentation;

/// <summary>SpecAugment masks and mixup's Beta draw, as the tuned PyTorch audio peer uses them.</summary>
public sealed class SpecAugmentTests
{
    [Fact]
    public void MasksAreWholeBandsAndWholeFramesWithinTheirLimitsAndRepeatForTheSameStream()
    {
        const int mels = 16, frames = 40;
        var aug = new SpecAugment(Masks: 1, MaxBands: 4, MaxFrames: 6);
        for (ulong seed = 0; seed < 30; seed++)
        {
            var image = new float[mels * frames];
            Array.Fill(image, 1f);
            aug.Apply(image, mels, frames, new RandomStream(seed));
            int fullRows = Enumerable.Range(0, mels).Count(m => image.AsSpan(m * frames, frames).IndexOfAnyExcept(0f) < 0);
            int fullColumns = Enumerable.Range(0, frames).Count(t => Enumerable.Range(0, mels).All(m => image[m * frames + t] == 0));
            Assert.InRange(fullRows, 0, 4);
            Assert.InRange(fullColumns, 0, 6);
            // Every zero lies in a masked band or a masked frame.
            for (int m = 0; m < mels; m++)
                for (int t = 0; t < frames; t++)
                    if (image[m * frames + t] == 0)
                        Assert.True(image.AsSpan(m * frames, frames).IndexOfAnyExcept(0f) < 0 || Enumerable.Range(0, mels).All(r => image[r * frames + t] == 0));
            var again = Enumerable.Repeat(1f, mels * frames).ToArray();
            aug.Apply(again, mels, frames, new RandomStream(seed));
            Assert.Equal(image, again);
        }
    }

    [Fact]
    public void MixupLambdaFollowsBetaOfAlphaAlpha()
    {
        var rng = new RandomStream(11);
        var draws = Enumerable.Range(0, 4000).Select(_ => Mixup.Lambda(0.4, rng)).ToArray();
        Assert.All(draws, l => Assert.InRange(l, 0, 1));
        // Beta(0.4, 0.4): mean 0.5, variance 1 / (4 (2 alpha + 1)) = 0.1389, U-shaped: 47.8 % of the mass below 0.1 or above 0.9.
        Assert.Equal(0.5, draws.Average(), 1);
        Assert.Equal(0.1389, draws.Select(l => (l - 0.5) * (l - 0.5)).Average(), 2);
        Assert.InRange(draws.Count(l => l < 0.1 || l > 0.9) / 4000.0, 0.44, 0.52);   // torch.distributions.Beta: 0.478
    }
}
