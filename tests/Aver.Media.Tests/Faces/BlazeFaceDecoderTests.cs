namespace Aver.Media.Tests.Faces;

/// <summary>Anchor layout and the decoding/weighted NMS on hand-made network outputs.</summary>
public class BlazeFaceDecoderTests
{
    [Fact]
    public void AnchorsFollowMediaPipesFrontLayout()
    {
        var a = SsdAnchors.Front128;
        Assert.Equal(896, a.Length);
        Assert.Equal(new FacePoint(0.5f / 16, 0.5f / 16), a[0]);
        Assert.Equal(a[0], a[1]);                                   // two anchors per stride-8 cell
        Assert.Equal(new FacePoint(1.5f / 16, 0.5f / 16), a[2]);
        Assert.Equal(new FacePoint(0.5f / 8, 0.5f / 8), a[512]);    // then the 8x8 grid, six per cell
        Assert.Equal(a[512], a[517]);
        Assert.Equal(new FacePoint(1.5f / 8, 0.5f / 8), a[518]);
        Assert.Equal(new FacePoint(7.5f / 8, 7.5f / 8), a[895]);
    }

    private static (float[] Logits, float[] Regs) Empty()
    {
        var logits = new float[896];
        Array.Fill(logits, -10f);
        return (logits, new float[896 * 16]);
    }

    private static void Put(float[] logits, float[] regs, int anchor, float logit, float dx, float dy, float size)
    {
        logits[anchor] = logit;
        var r = regs.AsSpan(anchor * 16, 16);
        r[0] = dx; r[1] = dy; r[2] = size; r[3] = size;
        for (int k = 0; k < 6; k++) { r[4 + 2 * k] = dx + k; r[5 + 2 * k] = dy; }
    }

    [Fact]
    public void OverlappingCandidatesBlendByScore()
    {
        var (logits, regs) = Empty();
        Put(logits, regs, 0, 2f, 0f, 0f, 32f);     // score sigmoid(2) = 0.881
        Put(logits, regs, 1, 0f, 4f, 0f, 32f);     // same anchor centre, shifted 4 px: IoU 0.78, score 0.5
        var lb = Letterbox.For(128, 128, 128);
        var faces = BlazeFaceDecoder.Decode(logits, regs, lb, new BlazeFaceOptions { MinScore = 0.4f });
        Assert.Single(faces);
        float s0 = 1 / (1 + MathF.Exp(-2f)), s1 = 0.5f;
        float expectedCx = 4f + (0 * s0 + 4 * s1) / (s0 + s1);   // anchor centre 4 px + blended offset
        Assert.Equal(expectedCx, faces[0].Box.Center.X, 3);
        Assert.Equal(s0, faces[0].Score, 5);                      // the cluster keeps its best score
        Assert.Equal(32f, faces[0].Box.Width, 3);
    }

    [Fact]
    public void SeparateFacesStaySeparateAndLowScoresDrop()
    {
        var (logits, regs) = Empty();
        Put(logits, regs, 0, 3f, 0f, 0f, 16f);
        Put(logits, regs, 510, 1f, 0f, 0f, 16f);   // far corner
        Put(logits, regs, 300, -1f, 0f, 0f, 16f);  // score 0.27 < 0.5
        var faces = BlazeFaceDecoder.Decode(logits, regs, Letterbox.For(128, 128, 128), new BlazeFaceOptions());
        Assert.Equal(2, faces.Count);
        Assert.True(faces[0].Score > faces[1].Score);
    }

    [Fact]
    public void LetterboxMapsBackToFramePixels()
    {
        var lb = Letterbox.For(1280, 720, 128);
        Assert.Equal((128, 72, 0, 28), (lb.ScaledWidth, lb.ScaledHeight, lb.PadX, lb.PadY));
        var p = lb.ToFrame(0.5f, 0.5f);
        Assert.Equal(640f, p.X, 2);
        Assert.Equal(360f, p.Y, 2);
        var corner = lb.ToFrame(0f, 28f / 128);
        Assert.Equal(0f, corner.X, 2);
        Assert.Equal(0f, corner.Y, 2);
    }
}
