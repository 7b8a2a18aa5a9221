using Aver.Cli.Samples;
using Aver.Media;

namespace Aver.Cli.Tests;

/// <summary>
/// Corpora small enough to train on in seconds, laid out as the real ones: RAVDESS (six actors, one take per
/// emotion: a speech WAV under speech16k/ and an audio-video MP4 under av/, a drawn face whose smile and a tone
/// whose pitch follow the emotion) and FER2013 (48-px grey faces in train|test/&lt;class&gt;/).
/// </summary>
internal static class TinyCorpora
{
    public const int Actors = 6, Emotions = 8;

    /// <summary>RAVDESS-shaped data under <paramref name="root"/>.</summary>
    public static void Ravdess(string root)
    {
        var faces = Path.Combine(root, "faces");
        Directory.CreateDirectory(faces);
        for (int e = 1; e <= Emotions; e++) Png.Write(Path.Combine(faces, $"{e}.png"), CartoonFace.Draw((e - 1) / 7.0).Resize(320, 240));
        for (int a = 1; a <= Actors; a++)
        {
            var speech = Path.Combine(root, "speech16k", $"Actor_{a:00}");
            Directory.CreateDirectory(speech);
            Directory.CreateDirectory(Path.Combine(root, "av"));
            for (int e = 1; e <= Emotions; e++)
            {
                string take = $"01-{e:00}-01-01-01-{a:00}";
                var wav = Path.Combine(speech, $"03-{take}.wav");
                Wav.Write(wav, Voice(120 + 25 * e + 7 * a, a * 100 + e));
                TestFfmpeg.Run("-loop", "1", "-framerate", "10", "-i", Path.Combine(faces, $"{e}.png"), "-i", wav, "-t", "1.5",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", Path.Combine(root, "av", $"01-{take}.mp4"));
            }
        }
        Directory.Delete(faces, true);
    }

    /// <summary>FER2013-shaped faces under <paramref name="root"/>: <paramref name="perClass"/> training and two test images per class.</summary>
    public static void Fer(string root, int perClass = 6)
    {
        string[] classes = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"];
        for (int k = 0; k < classes.Length; k++)
            foreach (var (split, count) in new[] { ("train", perClass), ("test", 2) })
            {
                var folder = Path.Combine(root, split, classes[k]);
                Directory.CreateDirectory(folder);
                for (int i = 0; i < count; i++)
                    Png.Write(Path.Combine(folder, $"{i}.png"), CartoonFace.Draw(k / 6.0 + 0.02 * i).ToGray().Crop(160, 80, 320, 320).Resize(48, 48));
            }
    }

    /// <summary>1.5 s of tone bursts at <paramref name="pitch"/> Hz over faint noise, 16 kHz.</summary>
    private static AudioBuffer Voice(double pitch, int seed)
    {
        int rate = 16000;
        var rng = new Random(seed);
        var x = new float[rate * 3 / 2];
        for (int i = 0; i < x.Length; i++)
            x[i] = ((i / 2400) % 2 == 0 ? 0.3f : 0.03f) * MathF.Sin(2 * MathF.PI * (float)pitch * i / rate) + 0.005f * (float)(rng.NextDouble() - 0.5);
        return new AudioBuffer(x, rate);
    }
}
