using Aver.Features.Augmentation;
using Aver.Tensors;

namespace Aver.Features.Tests.Augmentation;

/// <summary>MRPN spatial face augmentation (Figure 8): clip-wide and per-frame parameters, flips, identity, geometry.</summary>
public class SpatialAugmentationTests
{
    /// <summary>T copies of one random [C, H, W] frame.</summary>
    private static Tensor IdenticalFrames(int t, int c = 3, int h = 12, int w = 10, ulong seed = 5)
    {
        var frame = Signals.Noise(seed, c * h * w);
        var data = new float[t * frame.Length];
        for (int i = 0; i < t; i++) frame.CopyTo(data, i * frame.Length);
        return new Tensor(data, t, c, h, w);
    }

    private static float[] Frame(Tensor x, int t) => x.Data.AsSpan(t * x.Size / x.Dim(0), x.Size / x.Dim(0)).ToArray();

    [Fact]
    public void SameForClipTransformsIdenticalFramesIdentically()
    {
        var x = IdenticalFrames(5);
        var y = SpatialAugmentation.SameForClip(x, new RandomStream(1));
        Assert.Equal(x.Shape.ToArray(), y.Shape.ToArray());
        Assert.NotEqual(Frame(x, 0), Frame(y, 0));           // something happened
        for (int t = 1; t < 5; t++) Assert.Equal(Frame(y, 0), Frame(y, t));
    }

    [Fact]
    public void PerFrameTransformsIdenticalFramesDifferently()
    {
        var y = SpatialAugmentation.PerFrame(IdenticalFrames(5), new RandomStream(1));
        for (int t = 1; t < 5; t++) Assert.NotEqual(Frame(y, 0), Frame(y, t));
    }

    [Fact]
    public void SameSeedSameResultDifferentSeedDifferentResult()
    {
        var x = IdenticalFrames(3);
        Assert.Equal(SpatialAugmentation.PerFrame(x, new RandomStream(7)).Data, SpatialAugmentation.PerFrame(x, new RandomStream(7)).Data);
        Assert.NotEqual(SpatialAugmentation.SameForClip(x, new RandomStream(7)).Data, SpatialAugmentation.SameForClip(x, new RandomStream(8)).Data);
    }

    [Fact]
    public void FlipTwiceIsIdentityAndFlipMirrorsColumns()
    {
        var x = IdenticalFrames(2, h: 7, w: 9);
        var flip = SpatialTransform.Identity with { Flip = true };
        var once = SpatialAugmentation.Apply(x, flip);
        Assert.Equal(x.Data, SpatialAugmentation.Apply(once, flip).Data);
        for (int c = 0; c < 3; c++)
            for (int r = 0; r < 7; r++)
                for (int col = 0; col < 9; col++)
                    Assert.Equal(x.Data[(c * 7 + r) * 9 + col], once.Data[(c * 7 + r) * 9 + 8 - col]);
    }

    [Fact]
    public void ZeroStrengthIsIdentity()
    {
        var x = IdenticalFrames(4);
        Assert.Equal(x.Data, SpatialAugmentation.SameForClip(x, new RandomStream(3), SpatialAugmentationOptions.None).Data);
        Assert.Equal(x.Data, SpatialAugmentation.PerFrame(x, new RandomStream(3), SpatialAugmentationOptions.None).Data);
        Assert.Equal(x.Data, SpatialAugmentation.Apply(x, SpatialTransform.Identity).Data);
    }

    [Fact]
    public void ShiftMovesContentAndQuarterTurnRotates()
    {
        // One bright pixel at (row 2, col 3) of a 9 x 9 frame.
        var x = new Tensor(1, 1, 9, 9);
        x.Data[2 * 9 + 3] = 1;
        var shifted = SpatialAugmentation.Apply(x, SpatialTransform.Identity with { ShiftX = 2.0 / 9 });
        Assert.Equal(1f, shifted.Data[2 * 9 + 5], 5);
        Assert.Equal(1f, shifted.Data.Sum(), 4);
        // 90 degrees counter-clockwise about the centre (4, 4), y down: (col 3, row 2) -> (col 2, row 5).
        var turned = SpatialAugmentation.Apply(x, SpatialTransform.Identity with { RotationDegrees = 90 });
        Assert.Equal(1f, turned.Data[5 * 9 + 2], 5);
    }

    [Fact]
    public void ContrastKeepsTheMeanAndBrightnessAddsToIt()
    {
        var x = IdenticalFrames(1, c: 1);
        var y = SpatialAugmentation.Apply(x, SpatialTransform.Identity with { Contrast = 0.5f, Brightness = 0.25f });
        float mx = x.Data.Average(), my = y.Data.Average();
        Assert.Equal(mx + 0.25f, my, 4);
        Assert.Equal(0.5f * (x.Data[7] - mx), y.Data[7] - my, 4);
    }

    [Fact]
    public void ZoomInMagnifiesAboutTheCentre()
    {
        // A horizontal ramp: zooming by 2 halves its slope and keeps the centre value.
        var x = new Tensor(1, 1, 5, 9);
        for (int r = 0; r < 5; r++) for (int c = 0; c < 9; c++) x.Data[r * 9 + c] = c;
        var y = SpatialAugmentation.Apply(x, SpatialTransform.Identity with { Scale = 2 });
        Assert.Equal(4f, y.Data[2 * 9 + 4], 5);
        Assert.Equal(4.5f, y.Data[2 * 9 + 5], 5);
        Assert.Equal(2f, y.Data[2 * 9 + 0], 5);
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        Assert.Throws<ShapeException>(() => SpatialAugmentation.SameForClip(new Tensor(3, 8, 8), new RandomStream(1)));
        Assert.Throws<ArgumentException>(() => SpatialAugmentation.Apply(new Tensor(2, 1, 4, 4), [SpatialTransform.Identity]));
    }
}
