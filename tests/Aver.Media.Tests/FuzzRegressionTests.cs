using System.Buffers.Binary;

namespace Aver.Media.Tests;

/// <summary>Inputs the fuzzers (tools/fuzz) made, or that their harnesses showed: each must be a MediaException, never another exception.</summary>
public class FuzzRegressionTests
{
    private static byte[] Box(string type, long size, int payload = 0)
    {
        var b = new byte[8 + payload];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)size);
        System.Text.Encoding.ASCII.GetBytes(type, b.AsSpan(4));
        return b;
    }

    [Theory]
    [InlineData(0x7FFFFFFFFFFFFFF8UL)]   // pos + size overflowed to a negative position
    [InlineData(0xFFFFFFFFFFFFFFFFUL)]   // read as a negative long before
    public void AnMp4BoxWithAHuge64BitSizeIsTruncatedNotACrash(ulong size)
    {
        using var dir = new TempDir();
        var path = dir.File("huge.mp4");
        var large = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(large, 1);
        "mdat"u8.CopyTo(large.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(large.AsSpan(8), size);
        File.WriteAllBytes(path, [.. Box("ftyp", 16, 8), .. large, .. new byte[8]]);
        var e = Assert.Throws<MediaException>(() => MediaProbe.Probe(path));
        Assert.Contains("truncated MP4/MOV: box 'mdat' at byte 16", e.Message);
    }
}

/// <summary>PAM headers the image fuzzer found (ffmpeg's picture pipe, read by <see cref="ImageDecoder"/>).</summary>
public class PamFuzzRegressionTests
{
    public static TheoryData<string> Headers => new()
    {
        "P7\n" + new string('W', 300) + "\n",                                       // InvalidDataException without the file
        "P7\nWIDTH 2*DEdTH Y\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nENDHDR\n",             // FormatException
        "P7\nWIDTH 99999999999\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nENDHDR\n",          // OverflowException
        "P7\nWIDTH 0\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nENDHDR\n",                     // ArgumentOutOfRangeException from Image
        "P7\nWIDTH 65536\nHEIGHT 65536\nDEPTH 3\nMAXVAL 255\nENDHDR\n",            // width * height * depth overflows int
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void ABadPamHeaderIsAMediaExceptionNamingTheFile(string header)
    {
        using var pipe = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(header + "\0\0\0\0\0\0\0\0\0\0\0\0"));
        var e = Assert.Throws<MediaException>(() => PamReader.ReadNext(pipe, "face.png"));
        Assert.Equal("face.png", e.FilePath);
    }
}
