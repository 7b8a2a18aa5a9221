using Aver.Data.Catalogs;
using Aver.Data.Pipelines;
using Aver.Features.LogMel;
using Aver.Media;
using Aver.Tensors;
using Aver.Training.Data;

namespace Aver.Training.Tests.Data;

/// <summary>Per-speaker normalisation of log-mel crops: each speaker's band means, from that speaker's clips alone, subtracted.</summary>
public sealed class SpeakerBandMeansTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-speaker-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly LogMelOptions Plain = new() { Mels = 16, ClipSeconds = 0.45, CropSeconds = 0.4 };

    /// <summary>Clips of two speakers: speaker "02"'s voice is the same tones as "01"'s, ten times louder in its low band.</summary>
    private List<CatalogItem> Clips()
    {
        var labels = Aver.Data.Labels.LabelSpaces.Ravdess8;
        var items = new List<CatalogItem>();
        for (int k = 0; k < 6; k++)
        {
            string speaker = k < 3 ? "01" : "02";
            var samples = new float[7200];
            var rng = new RandomStream((ulong)k);
            rng.FillNormal(samples, 0, 0.1f);
            for (int i = 0; i < samples.Length; i++)
                samples[i] += (speaker == "02" ? 3f : 0.3f) * MathF.Sin(2 * MathF.PI * 300 * i / 16000f) + (0.2f + 0.1f * k) * MathF.Sin(2 * MathF.PI * 2500 * i / 16000f);
            string path = Path.Combine(_dir, $"c{k}.wav");
            Wav.Write(path, new AudioBuffer(samples, 16000));
            items.Add(new(path, Modality.Audio, labels[k % 2], speaker, null, $"c{k}", new Dictionary<string, string>()));
        }
        return items;
    }

    [Fact]
    public void Each_speakers_means_come_from_their_own_clips_and_are_subtracted_from_every_crop()
    {
        var items = Clips();
        var plain = new LogMelClipSet(items, Aver.Data.Labels.LabelSpaces.Ravdess8, new LogMelPipeline(Plain));
        plain.Prepare();
        Assert.Null(plain.Speakers);
        var normed = new LogMelClipSet(items, Aver.Data.Labels.LabelSpaces.Ravdess8, new LogMelPipeline(Plain with { SpeakerNorm = true }));
        normed.Prepare();
        Assert.Equal(2, normed.Speakers!.Count);

        // A speaker's means: over all frames of their clips (here 3 clips each), per band.
        var images = items.Take(3).Select(i => normed.Pipeline.Image(i)).ToList();
        int mels = 16, frames = images[0].Dim(1);
        for (int m = 0; m < mels; m++)
        {
            double sum = 0;
            foreach (var x in images) for (int t = 0; t < frames; t++) sum += x.Data[m * frames + t];
            Assert.Equal(sum / (3 * frames), normed.Speakers.Of(items[0])[m], 3);
        }
        // A speaker's normalised images average zero in every band.
        for (int m = 0; m < mels; m++)
            Assert.Equal(0, Enumerable.Range(3, 3).Sum(i => normed.Image(i).Data.AsSpan(m * frames, frames).ToArray().Sum()), 2);

        // Every evaluation crop is the plain crop minus its speaker's means; the plain set's crops are untouched.
        var all = Enumerable.Range(0, items.Count).ToArray();
        var a = plain.Batches(all, items.Count).Single().Input.Crops;
        var b = normed.Batches(all, items.Count).Single().Input.Crops;
        int crop = Plain.CropFrames, perClip = a.Size / items.Count;
        for (int c = 0; c < items.Count; c++)
            for (int k = 0; k < perClip; k++)
            {
                int m = k / crop % mels;
                Assert.Equal(a.Data[c * perClip + k] - normed.Speakers.Of(items[c])[m], b.Data[c * perClip + k], 4);
            }
        // The two voices' colourings differ (the second's low tone dominates it): their means differ by far more than rounding.
        float widest = 0;
        for (int m = 0; m < mels; m++) widest = Math.Max(widest, Math.Abs(normed.Speakers.Of(items[3])[m] - normed.Speakers.Of(items[0])[m]));
        Assert.True(widest > 1, $"speaker means differ by at most {widest}");
    }
}
