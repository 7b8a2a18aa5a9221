namespace Aver.Media.Tests.Images;

public class ImageTests
{
    private static Image Pattern(int w, int h, int channels, int seed)
    {
        var rng = new Random(seed);
        var data = new byte[w * h * channels];
        rng.NextBytes(data);
        return new Image(w, h, channels, data);
    }

    [Fact]
    public void GrayIsBt601Luma()
    {
        var img = new Image(3, 1, 3, [255, 0, 0, 0, 255, 0, 10, 20, 30]);
        var g = img.ToGray();
        Assert.Equal(new byte[] { 76, 150, 18 }, g.Data);   // 0.299*255, 0.587*255, 0.299*10+0.587*20+0.114*30
        Assert.Equal(new byte[] { 76, 76, 76, 150, 150, 150, 18, 18, 18 }, g.ToRgb().Data);
    }

    [Fact]
    public void CropPadsOutsideWithFill()
    {
        var img = new Image(3, 2, 1, [1, 2, 3, 4, 5, 6]);
        Assert.Equal(new byte[] { 2, 3, 5, 6 }, img.Crop(1, 0, 2, 2).Data);
        Assert.Equal(new byte[] { 9, 9, 9, 9, 1, 2, 9, 4, 5 }, img.Crop(-1, -1, 3, 3, fill: 9).Data);
        Assert.All(img.Crop(10, 10, 2, 2).Data, b => Assert.Equal(0, b));
    }

    [Fact]
    public void ResizeUsesHalfPixelCentres()
    {
        // 2x1 -> 4x1: source coords -0.25, 0.25, 0.75, 1.25 -> clamp/lerp between 0 and 100.
        var img = new Image(2, 1, 1, [0, 100]);
        Assert.Equal(new byte[] { 0, 25, 75, 100 }, img.Resize(4, 1).Data);
        // 4x4 -> 2x2 averages 2x2 blocks (sample at the centre of each block).
        var big = new Image(4, 1, 1, [0, 10, 20, 30]);
        Assert.Equal(new byte[] { 5, 25 }, big.Resize(2, 1).Data);
        var rgb = Pattern(7, 5, 3, 1);
        Assert.Equal(rgb.Data, rgb.Resize(7, 5).Data);
    }

    [Fact]
    public void ResizeAgreesWithFfmpegBilinear()
    {
        using var dir = new TempDir();
        var img = Pattern(64, 48, 3, 2).Resize(32, 24).Resize(64, 48);   // smooth enough that filters agree
        var png = dir.File("src.png");
        Png.Write(png, img);
        var small = dir.File("small.png");
        TempDir.Ffmpeg("-i", png, "-vf", "scale=40:30:flags=bilinear", small);
        var theirs = ImageDecoder.Load(small);
        var mine = img.Resize(40, 30);
        double diff = 0;
        for (int i = 0; i < mine.Data.Length; i++) diff += Math.Abs(mine.Data[i] - theirs.Data[i]);
        Assert.True(diff / mine.Data.Length < 3, $"mean abs difference from ffmpeg's bilinear: {diff / mine.Data.Length:F2}");
    }

    [Fact]
    public void ToTensorIsChannelsFirst()
    {
        var img = new Image(2, 1, 3, [0, 51, 255, 102, 153, 204]);
        var t = img.ToTensor();
        Assert.Equal(new[] { 3, 1, 2 }, t.Shape.ToArray());
        Assert.Equal(new[] { 0f, 0.4f, 0.2f, 0.6f, 1f, 0.8f }, t.Data.Select(v => MathF.Round(v, 4)));
        var centred = img.ToTensor(2f / 255, -1f);   // [-1, 1], as BlazeFace takes it
        Assert.Equal(-1f, centred.Data[0]);
        Assert.Equal(1f, centred.Data[4], 5);
        Assert.Equal(img.Data, Image.FromTensor(centred, 2f / 255, -1f).Data);
        Assert.Equal(new byte[] { 0, 255 }, Image.FromTensor(new Aver.Tensors.Tensor([-3f, 7f], 1, 2)).Data);   // clipped
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void PngDecodesBackToTheSamePixels(int channels)
    {
        using var dir = new TempDir();
        var img = Pattern(37, 23, channels, channels);
        var path = dir.File("x.png");
        Png.Write(path, img);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
        var back = ImageDecoder.Load(path, channels == 1 ? ImageColor.Gray : ImageColor.Rgb);
        Assert.Equal((37, 23, channels), (back.Width, back.Height, back.Channels));
        Assert.Equal(img.Data, back.Data);
        // ffprobe sees a proper PNG with the right colour type.
        var info = MediaProbe.Probe(path);
        Assert.Equal("png", info.Video!.Codec);
    }

    [Fact]
    public void ContactSheetPlacesTilesInAGrid()
    {
        var tiles = Enumerable.Range(0, 5).Select(i => Image.Blank(10, 10, i % 2 == 0 ? ImageColor.Gray : ImageColor.Rgb, (byte)(50 * i + 10))).ToList();
        var sheet = ContactSheet.Compose(tiles, columns: 3, tileWidth: 20, tileHeight: 16, gap: 2, background: 1);
        Assert.Equal((2 + 3 * 22, 2 + 2 * 18, 3), (sheet.Width, sheet.Height, sheet.Channels));
        Assert.Equal(1, sheet[0, 0]);
        Assert.Equal(10, sheet[2, 2]);                 // tile 0, top-left
        Assert.Equal(60, sheet[2 + 22, 2, 1]);         // tile 1
        Assert.Equal(210, sheet[2 + 22, 2 + 18 + 15]); // tile 4, bottom row, second column
        Assert.Equal(1, sheet[2 + 44, 2 + 18]);        // empty sixth cell keeps the background
    }

    [Fact]
    public void BatchDecodeEqualsOneByOneAndNamesABadFile()
    {
        using var dir = new TempDir();
        // Three ffmpeg runs write numbered frames: jpg 48x48 (2), jpg 32x24 (4), png 32x24 (2).
        TempDir.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=48x48:rate=1:duration=2", dir.File("big%d.jpg"));
        TempDir.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=32x24:rate=1:duration=4", dir.File("small%d.jpg"));
        TempDir.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=32x24:rate=1:duration=2", dir.File("small%d.png"));
        // Runs of same-sized files: 48 | 32 32 32 | 48 | 32 (jpg) 32 32 (png).
        var paths = new List<string> { "big1.jpg", "small1.jpg", "small2.jpg", "small3.jpg", "big2.jpg", "small4.jpg", "small1.png", "small2.png" }
            .Select(dir.File).ToList();
        var batch = ImageDecoder.LoadMany(paths, ImageColor.Gray, batchSize: 2);
        foreach (int i in (int[])[2, 4, 7])   // inside a batch, a lone file, the second file of a PNG batch
            Assert.Equal(ImageDecoder.Load(paths[i], ImageColor.Gray).Data, batch[i].Data);
        Assert.Equal([48, 32, 32, 32, 48, 32, 32, 32], batch.Select(b => b.Width));
        Assert.Equal((48, 48, 1), (batch[0].Width, batch[0].Height, batch[0].Channels));

        // A file that claims to be a JPEG but is cut inside the run: the batch fails, the retry names it.
        File.WriteAllBytes(paths[2], File.ReadAllBytes(paths[2])[..200]);
        var e = Assert.Throws<MediaException>(() => ImageDecoder.LoadMany(paths, ImageColor.Gray, batchSize: 8));
        Assert.Equal(paths[2], e.FilePath);
    }

    [FactRequires(Need.SharedData)]
    public void Fer2013ImagesDecodeAs48x48Gray()
    {
        var dir = TestPaths.Data("fer2013", "test", "happy");
        var paths = Directory.GetFiles(dir, "*.jpg").Order(StringComparer.Ordinal).Take(300).ToArray();
        Assert.Equal(300, paths.Length);
        var images = ImageDecoder.LoadMany(paths, ImageColor.Gray);
        Assert.All(images, im => Assert.Equal((48, 48, 1), (im.Width, im.Height, im.Channels)));
        Assert.Equal(ImageDecoder.Load(paths[123], ImageColor.Gray).Data, images[123].Data);
        Assert.True(images.Select(im => im.Data.Average(b => (double)b)).Distinct().Count() > 250, "images should differ");
    }
}
