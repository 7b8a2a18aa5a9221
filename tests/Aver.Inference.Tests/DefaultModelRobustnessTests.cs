using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Inference.Tests;

/// <summary>
/// The shipped default model's audio answer under what real recordings add (issue 15, item 4): a noise floor 30 dB
/// under the speech and mp3 coding. Clips: the 28 takes of actors 15-16 with two per FER emotion (its validation
/// speakers; RAVDESS is recorded in silence, so these conditions are exactly what its training data lack). The model
/// card gives the measured counts; the previous model kept 10 and 6 of the 28 answers.
/// </summary>
public sealed class DefaultModelRobustnessTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static IReadOnlyList<string> Clips()
    {
        var clips = new List<string>();
        foreach (var actor in new[] { "15", "16" })
            foreach (var emotion in new[] { "01", "03", "04", "05", "06", "07", "08" })
                clips.AddRange(Directory.GetFiles(TestPaths.Data("ravdess", "speech16k", $"Actor_{actor}"), $"03-01-{emotion}-*-{actor}.wav")
                    .Order(StringComparer.Ordinal).Take(2));
        return clips;
    }

    private static string? Answer(DecisionFusionModel model, string path) =>
        model.Predict(path, new PredictionOptions { Only = new HashSet<string> { "audio" } }).Label?.Name;

    [FactRequires(Need.SharedData)]
    public void A_noise_floor_30_db_under_the_speech_and_mp3_coding_keep_most_answers()
    {
        var model = (DecisionFusionModel)ModelLoader.Load(Path.Combine(TestPaths.RepoRoot, ModelLoader.DefaultFolder), () => throw new InvalidOperationException("audio only"));
        var clips = Clips();
        Assert.Equal(28, clips.Count);
        int sameUnderNoise = 0, sameAsMp3 = 0;
        var rng = new RandomStream(15);
        foreach (var clip in clips)
        {
            string? clean = Answer(model, clip);
            var audio = MediaDecoder.ReadAudio(clip, 16000);
            double sumSq = 0;
            foreach (float v in audio.Samples) sumSq += (double)v * v;
            var noisy = new float[audio.Samples.Length];
            rng.Fork(Path.GetFileName(clip)).FillNormal(noisy, 0f, (float)(Math.Sqrt(sumSq / noisy.Length) * Math.Pow(10, -30 / 20.0)));
            for (int i = 0; i < noisy.Length; i++) noisy[i] += audio.Samples[i];
            string noisyPath = _tmp.File(Path.GetFileName(clip));
            Wav.Write(noisyPath, new AudioBuffer(noisy, 16000));
            if (Answer(model, noisyPath) == clean) sameUnderNoise++;
            string mp3 = _tmp.File(Path.GetFileNameWithoutExtension(clip) + ".mp3");
            TestFfmpeg.Run("-i", clip, "-c:a", "libmp3lame", "-b:a", "128k", mp3);
            if (Answer(model, mp3) == clean) sameAsMp3++;
        }
        // The card gives the shipped model's counts (printed here); the first models kept about one in three and one in five.
        output.WriteLine($"{sameUnderNoise} of 28 answers kept under a noise floor, {sameAsMp3} as mp3");
        Assert.True(sameUnderNoise >= 19, $"{sameUnderNoise} of 28 answers kept under a noise floor");
        Assert.True(sameAsMp3 >= 19, $"{sameAsMp3} of 28 answers kept as mp3");
    }
}
