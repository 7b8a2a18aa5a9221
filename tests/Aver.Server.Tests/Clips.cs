using Aver.Media;

namespace Aver.Server.Tests;

/// <summary>Test inputs: shared real clips, and small ones generated on the spot.</summary>
internal static class Clips
{
    /// <summary>A RAVDESS audio-video clip (1280x720 H.264 + AAC, ~3.2 s) from ../shared/data.</summary>
    public static string SharedVideo => TestPaths.Data("ravdess", "av", "01-01-06-01-01-01-05.mp4");

    /// <summary>A RAVDESS speech file (16 kHz WAV) from ../shared/data.</summary>
    public static string SharedSpeech => TestPaths.Data("ravdess", "speech16k", "Actor_01", "03-01-05-01-01-01-01.wav");

    /// <summary>A FER2013 face photo (48x48 grey JPEG) from ../shared/data.</summary>
    public static string SharedPhoto => TestPaths.Data("fer2013", "test", "happy", "PrivateTest_10077120.jpg");

    /// <summary>A 2-s modulated 330 Hz tone as 16 kHz WAV bytes: audio the model answers quickly.</summary>
    public static byte[] Tone()
    {
        int rate = 16000;
        var x = new float[rate * 2];
        for (int i = 0; i < x.Length; i++) x[i] = 0.3f * MathF.Sin(2 * MathF.PI * 330 * i / rate) * (1 + 0.5f * MathF.Sin(i * 0.001f));
        var path = Path.GetTempFileName();
        try
        {
            Wav.Write(path, new AudioBuffer(x, rate));
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }

    /// <summary>A small generated MP4 (blue frames, a sine) of <paramref name="seconds"/> s.</summary>
    public static byte[] GeneratedMp4(double seconds = 2)
    {
        var path = Path.Combine(Path.GetTempPath(), $"aver-serve-test-{Guid.NewGuid():N}.mp4");
        try
        {
            TestFfmpeg.Run("-f", "lavfi", "-i", $"color=c=blue:s=160x120:d={seconds}:r=10", "-f", "lavfi", "-i", $"sine=f=300:d={seconds}",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path);
            return File.ReadAllBytes(path);
        }
        finally { File.Delete(path); }
    }
}
