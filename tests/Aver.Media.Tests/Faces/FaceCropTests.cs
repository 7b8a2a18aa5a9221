namespace Aver.Media.Tests.Faces;

/// <summary>Crop geometry on synthetic pictures: region, alignment, size and colour.</summary>
public class FaceCropTests
{
    /// <summary>A 200x100 picture whose pixel (x, y) is (x, y, 0) (red = column, green = row).</summary>
    private static Image Ramp()
    {
        var img = Image.Blank(200, 100, ImageColor.Rgb);
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 200; x++) { img.Data[(y * 200 + x) * 3] = (byte)x; img.Data[(y * 200 + x) * 3 + 1] = (byte)y; }
        return img;
    }

    private static FaceDetection Face(FaceBox box, FacePoint rightEye, FacePoint leftEye, FacePoint mouth) =>
        new(box, [rightEye, leftEye, FacePoint.Midpoint(rightEye, leftEye), mouth, rightEye, leftEye], 0.9f);

    [Fact]
    public void MrpnCropIsTheSquareAroundTheBoxWithMargin()
    {
        var face = Face(new FaceBox(80, 30, 40, 32), new(90, 40), new(110, 40), new(100, 55));
        var crop = FaceCropper.Crop(Ramp(), face, new FaceCropOptions { Size = 50, Margin = 0.25f });
        Assert.Equal((50, 50, 3), (crop.Width, crop.Height, crop.Channels));
        // Side 40 * 1.25 = 50 px around centre (100, 46): one source pixel per output pixel.
        Assert.Equal(75, crop[0, 0, 0]);
        Assert.Equal(21, crop[0, 0, 1]);
        Assert.Equal(100, crop[25, 25, 0]);
        Assert.Equal(46, crop[25, 25, 1]);
    }

    [Fact]
    public void VerticalShiftMovesTheCentreAlongTheFacesVerticalAxis()
    {
        var face = Face(new FaceBox(80, 30, 40, 32), new(90, 40), new(110, 40), new(100, 55));
        // Side 50 around (100, 46); a shift of -0.1 side moves the centre 5 px up, the side stays.
        var up = FaceCropper.Crop(Ramp(), face, new FaceCropOptions { Size = 50, Margin = 0.25f, VerticalShift = -0.1f });
        Assert.Equal(100, up[25, 25, 0]);
        Assert.Equal(41, up[25, 25, 1]);
        Assert.Equal(16, up[0, 0, 1]);
        // Eyes on a 45-degree line with alignment: "down" in the crop is down-left in the frame, (-sin, cos) x 0.25 x 40 px.
        var tilted = Face(new FaceBox(80, 30, 40, 40), new(90, 40), new(110, 60), new(90, 70));
        var aligned = new FaceCropOptions { Size = 40, Margin = 0, Align = true };
        var plain = FaceCropper.Crop(Ramp(), tilted, aligned);
        var shifted = FaceCropper.Crop(Ramp(), tilted, aligned with { VerticalShift = 0.25f });
        Assert.InRange(shifted[20, 20, 0] - plain[20, 20, 0], -8, -6);   // -10 / sqrt 2 = -7.1 px in x
        Assert.InRange(shifted[20, 20, 1] - plain[20, 20, 1], 6, 8);     // +7.1 px in y
    }

    [Fact]
    public void OutsideTheFrameIsFilled()
    {
        var face = Face(new FaceBox(-20, -20, 40, 40), new(-10, -5), new(10, -5), new(0, 10));
        var crop = FaceCropper.Crop(Ramp(), face, new FaceCropOptions { Size = 40, Margin = 0, Fill = 7 });
        Assert.Equal(7, crop[2, 2, 2]);
        Assert.Equal(7, crop[2, 2, 0]);
        Assert.Equal(10, crop[30, 30, 0]);   // source x = -20 + 30
    }

    [Fact]
    public void AlignmentLevelsTheEyes()
    {
        // Eyes on a 45-degree line: the aligned crop turns the picture so that moving right in the crop
        // moves down-right in the source (both red and green grow).
        var face = Face(new FaceBox(80, 30, 40, 40), new(90, 40), new(110, 60), new(90, 70));
        var aligned = FaceCropper.Crop(Ramp(), face, new FaceCropOptions { Size = 40, Margin = 0, Align = true });
        int dr = aligned[35, 20, 0] - aligned[5, 20, 0], dg = aligned[35, 20, 1] - aligned[5, 20, 1];
        Assert.InRange(dr, 18, 24);   // 30 px along the crop's x = 21 px right and 21 px down in the source
        Assert.InRange(dg, 18, 24);
        var plain = FaceCropper.Crop(Ramp(), face, new FaceCropOptions { Size = 40, Margin = 0 });
        Assert.Equal(0, plain[35, 20, 1] - plain[5, 20, 1]);
    }

    [Theory]
    [InlineData(50, 0.25f)]    // one sample per output pixel
    [InlineData(24, 0.25f)]    // shrinking: 2x2 supersampling
    [InlineData(12, 1.5f)]     // 4x4 supersampling, region past the frame's edge
    public void UnrotatedFastPathMatchesTheRotatingSampler(int size, float margin)
    {
        // Eyes level to 1e-6 rad: the general (rotating) sampler, moved by at most 1e-4 px; the level face takes the
        // axis-aligned fast path. They must agree to within rounding.
        var level = Face(new FaceBox(150, 10, 40, 32), new(160, 20), new(180, 20), new(170, 35));
        var tilted = Face(new FaceBox(150, 10, 40, 32), new(160, 20), new(180, 20.00002f), new(170, 35));
        var options = new FaceCropOptions { Size = size, Margin = margin, Align = true, Fill = 9 };
        Assert.Equal(0f, level.EyeAngle);
        Assert.NotEqual(0f, tilted.EyeAngle);
        var fast = FaceCropper.Crop(Ramp(), level, options);
        var general = FaceCropper.Crop(Ramp(), tilted, options);
        for (int i = 0; i < fast.Data.Length; i++) Assert.InRange(fast.Data[i] - general.Data[i], -1, 1);
        if (margin > 1) Assert.Contains((byte)9, fast.Data);   // the region reaches past the frame's edges: fill is used
    }

    [Fact]
    public void AvefRegionComesFromTheKeyPoints()
    {
        var face = Face(new FaceBox(0, 0, 10, 10), new(90, 40), new(110, 40), new(100, 60));
        var (centre, side) = FaceCropper.Region(face, new FaceCropOptions { Style = FaceCropStyle.Avef, KeyPointExtent = 3f });
        Assert.Equal(new FacePoint(100, 50), centre);
        Assert.Equal(60f, side, 3);   // 3 x eye-to-mouth distance 20
        var gray = FaceCropper.Crop(Ramp(), face, new FaceCropOptions { Style = FaceCropStyle.Avef, Color = ImageColor.Gray, Size = 30 });
        Assert.Equal(1, gray.Channels);
    }
}
