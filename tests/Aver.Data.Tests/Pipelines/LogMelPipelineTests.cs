using Aver.Data.Pipelines;
using Aver.Features.LogMel;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Tests.Pipelines;

/// <summary>The log-mel front end of the compact CNN: a fold's band statistics, normalisation, crops, the spec object.</summary>
public sealed class LogMelPipelineTests
{
    private static readonly LogMelOptions Small = new() { Mels = 2, ClipSeconds = 0.05, CropSeconds = 0.03, EvalHopSeconds = 0.01 };   // 6 frames, crops of 4

    private static Tensor Image(params float[] values) => new(values, 2, values.Length / 2);

    [Fact]
    public void BandStatisticsAreThoseOfTheTrainingImagesAndNormaliseEachBand()
    {
        // Band 0 holds 1..4 over two images, band 1 is constant 7.
        var end = LogMelFrontEnd.Fit(Small, [Image(1, 2, 7, 7), Image(3, 4, 7, 7)]);
        Assert.Equal([2.5f, 7f], end.BandMean);
        Assert.Equal((float)(Math.Sqrt(5.0 / 3) + 1e-5), end.BandStd[0], 6);   // unbiased, plus the peer's 1e-5
        Assert.Equal(1e-5f, end.BandStd[1], 9);
        var x = Image(2.5f, 2.5f + end.BandStd[0], 7, 7);
        var y = end.Normalized(x);
        Assert.Equal([0f, 1f, 0f, 0f], y.Data);
        Assert.Equal(2.5f, x.Data[0]);   // the input is left as it was
    }

    [Fact]
    public void TrainingTakesOneRandomCropAndEvaluationTheCropsAtTheEvaluationHop()
    {
        var pipeline = new LogMelPipeline(Small);
        Assert.Equal((6, 4, 3), (Small.ClipFrames, Small.CropFrames, Small.CropPositions));
        Assert.Equal([0, 1, 2], Small.EvalOffsets());
        var image = Image(0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15);
        var eval = pipeline.Crops(image);
        Assert.Equal([3, 1, 2, 4], eval.Shape.ToArray());
        Assert.Equal([1f, 2, 3, 4, 11, 12, 13, 14], eval.Data.AsSpan(8, 8).ToArray());
        var seen = new HashSet<float>();
        for (int s = 0; s < 40; s++)
        {
            var crop = pipeline.Crops(image, new RandomStream((ulong)s));
            Assert.Equal([1, 1, 2, 4], crop.Shape.ToArray());
            Assert.Equal(crop.Data[0] + 10, crop.Data[4]);
            seen.Add(crop.Data[0]);
        }
        Assert.Equal([0f, 1f, 2f], seen.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Crops(image, [3]));
    }

    [Fact]
    public void CodecVariantsAreTheMp3RoundTripOfTheSpedClipComputedOnceWhetherOrNotTheAudioIsKept()
    {
        var options = new LogMelOptions { ClipSeconds = 1.0, CropSeconds = 0.5, EvalHopSeconds = 0.25 };
        string path = Path.Combine(Path.GetTempPath(), $"aver-codec-{Guid.NewGuid():N}.wav");
        var audio = new AudioBuffer(Enumerable.Range(0, 16000).Select(i => 0.3f * MathF.Sin(i * 0.07f) * (i / 4000 % 2)).ToArray(), 16000);
        Aver.Media.Wav.Write(path, audio, Aver.Media.WavSampleFormat.Float32);
        try
        {
            var item = new Aver.Data.Catalogs.CatalogItem(path, Aver.Data.Catalogs.Modality.Audio, Aver.Data.Labels.LabelSpaces.Ravdess8[0], "01", null, "r", new Dictionary<string, string>());
            var plain = new LogMelPipeline(options);
            plain.Prepare(item, [0.9], keepAudio: false, kbps: [32]);
            var kept = new LogMelPipeline(options);
            kept.Prepare(item, [0.9], keepAudio: true, kbps: [32]);
            var expected = LogMelSpectrogram.Compute(AudioCodec.Mp3RoundTrip(Aver.Features.Augmentation.SpeedPerturbation.Apply(audio, 0.9), 32), options);
            Assert.Equal(expected.Data, plain.Image(item, 0.9, 32).Data);
            Assert.Equal(expected.Data, kept.Image(item, 0.9, 32).Data);
            Assert.Same(plain.Image(item, 1, 32), plain.Image(item, 1, 32));   // computed once
            Assert.NotEqual(plain.Image(item).Data, plain.Image(item, 1, 32).Data);
            Assert.Equal(plain.Image(item).Shape.ToArray(), plain.Image(item, 1, 32).Shape.ToArray());
            Assert.Equal(AudioCodec.Mp3RoundTrip(audio, 32).Samples, kept.Audio(item, 1, 32).Samples);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TheFrontEndRoundTripsThroughItsSpecObjectAndABadOneNamesTheFile()
    {
        var end = LogMelFrontEnd.Fit(new LogMelOptions(), [LogMelSpectrogram.Compute(new AudioBuffer(Enumerable.Range(0, 20000).Select(i => MathF.Sin(i * 0.3f)).ToArray(), 16000), new LogMelOptions())]);
        var ends = new Dictionary<string, System.Text.Json.Nodes.JsonObject> { ["audio"] = end.ToSpec() };
        var back = LogMelFrontEnd.FromSpec(ends, "m.safetensors");
        Assert.Equal(end.Options, back.Options);
        Assert.Equal(end.BandMean, back.BandMean);
        Assert.Equal(end.BandStd, back.BandStd);
        Assert.Equal(400, (int)ends["audio"]["options"]!["win_length"]!);

        ends["audio"]["band_std"]!.AsArray().RemoveAt(0);
        var e = Assert.Throws<InvalidDataException>(() => LogMelFrontEnd.FromSpec(ends, "m.safetensors"));
        Assert.StartsWith("m.safetensors: model spec front_ends.audio needs 64 band means", e.Message);
        ends["audio"]["options"]!["hop_lenght"] = 3;
        Assert.Contains("m.safetensors: model spec front_ends.audio is unreadable", Assert.Throws<InvalidDataException>(() => LogMelFrontEnd.FromSpec(ends, "m.safetensors")).Message);
    }
}
