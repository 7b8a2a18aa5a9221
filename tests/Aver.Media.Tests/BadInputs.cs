namespace Aver.Media.Tests;

/// <summary>Small generated inputs (ffmpeg lavfi sources) for the bad-input and edge cases.</summary>
internal static class BadInputs
{
    /// <summary>1 s of 160x120 test pattern at 10 fps, no audio.</summary>
    public static string VideoOnly(TempDir dir)
    {
        var p = dir.File("video-only.mp4");
        TempDir.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-c:v", "mpeg4", "-q:v", "3", p);
        return p;
    }

    /// <summary>1 s of a stereo 440 Hz tone at 22.05 kHz in AAC, no video.</summary>
    public static string AudioOnly(TempDir dir)
    {
        var p = dir.File("audio-only.mp4");
        TempDir.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=1", "-ac", "2", "-c:a", "aac", p);
        return p;
    }

    /// <summary>A short clip with video and audio; <paramref name="faststart"/> puts the 'moov' index first, as RAVDESS has it.</summary>
    public static string AudioVideo(TempDir dir, string name, bool faststart)
    {
        var p = dir.File(name);
        TempDir.Ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2", "-f", "lavfi", "-i", "sine=duration=2",
                        "-c:v", "mpeg4", "-c:a", "aac", "-shortest", .. faststart ? (string[])["-movflags", "+faststart"] : [], p]);
        return p;
    }

    /// <summary>A copy of <paramref name="source"/> holding only its first <paramref name="fraction"/> of bytes.</summary>
    public static string Cut(TempDir dir, string source, double fraction, string name)
    {
        var bytes = File.ReadAllBytes(source);
        var p = dir.File(name);
        File.WriteAllBytes(p, bytes[..(int)(bytes.Length * fraction)]);
        return p;
    }
}
