using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Augmentation;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// A batch of log-mel crops [N, K, 1, mels, frames] (not yet band-standardised) and, in training, each clip's own
/// augmentation stream for what follows standardisation (SpecAugment masks, the batch's mixup draw); null at evaluation.
/// </summary>
public sealed record LogMelBatch(Tensor Crops, RandomStream[]? Augment);

/// <summary>
/// Clips of a catalog as log-mel crops for a compact CNN (<see cref="LogMelPipeline"/>): K = 1 random crop per
/// clip when augmenting (training), else the K evaluation crops whose logits the network averages. The crops are
/// not band-standardised; the task does that with its fold's statistics, then applies the augmentation that works
/// on standardised features from each clip's stream (forked from the clip's stream after its crop was drawn).
/// With <see cref="Speed"/>, a training clip is first played at a drawn speed (from its stream's "speed" fork, so
/// the crop draws are those of a run without it). With <see cref="Noise"/>, a training clip's waveform gets a drawn
/// noise floor (from its stream's "noise" fork) and its image is computed afresh from the kept audio.
/// With <see cref="Aver.Features.LogMel.LogMelOptions.SpeakerNorm"/>, every crop has its speaker's band means
/// subtracted (<see cref="SpeakerBandMeans"/>, taken once all images are prepared).
/// </summary>
public sealed class LogMelClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels, LogMelPipeline pipeline, SpeedPerturbation? speed = null,
    NoiseFloor? noise = null, CodecAugmentation? codec = null)
    : ClipSet<(Tensor Crops, RandomStream? Augment), LogMelBatch>(items, labels)
{
    public LogMelPipeline Pipeline { get; } = pipeline;

    /// <summary>Speed perturbation of training clips, or null.</summary>
    public SpeedPerturbation? Speed { get; } = speed;

    /// <summary>A noise floor under training clips (the image then computed afresh for each draw), or null.</summary>
    public NoiseFloor? Noise { get; } = noise;

    /// <summary>An mp3 round trip of training clips (its images computed once per bitrate by <see cref="Prepare"/>), or null.</summary>
    public CodecAugmentation? Codec { get; } = codec;

    /// <summary>Each speaker's band means (with <see cref="Aver.Features.LogMel.LogMelOptions.SpeakerNorm"/>, after <see cref="Prepare"/>), else null.</summary>
    public SpeakerBandMeans? Speakers { get; private set; }

    /// <summary>Computes every clip's image once, in parallel, reporting <c>(done, total)</c> now and then.</summary>
    public void Prepare(Action<int, int>? progress = null)
    {
        int done = 0;
        Engine.For(Count, i =>
        {
            Pipeline.Prepare(Items[i], Speed?.Factors ?? [], keepAudio: Noise is not null, Codec?.Kbps);
            int d = Interlocked.Increment(ref done);
            if (d % 200 == 0 || d == Count) progress?.Invoke(d, Count);
        });
        if (Pipeline.Options.SpeakerNorm) Speakers = SpeakerBandMeans.Of(Items, Pipeline.Image);
    }

    /// <summary>Clip <paramref name="index"/>'s image as the network's crops are cut from it (its speaker's means subtracted when asked).</summary>
    public Tensor Image(int index)
    {
        var image = Pipeline.Image(Items[index]);
        if (Speakers is null) return image;
        var copy = new Tensor(image.Shape.ToArray());
        image.Data.AsSpan(0, image.Size).CopyTo(copy.Data);
        Speakers.Subtract(Items[index], copy);
        return copy;
    }

    protected override (Tensor Crops, RandomStream? Augment) Clip(CatalogItem item, RandomStream? augment)
    {
        double speed = augment is not null && Speed is not null ? Speed.Draw(augment.Fork("speed")) : 1;
        int? kbps = augment is not null && Codec is not null ? Codec.Draw(augment.Fork("codec")) : null;
        var image = augment is not null && Noise is not null
            ? Pipeline.Image(Noise.Apply(Pipeline.Audio(item, speed, kbps), augment.Fork("noise")))
            : Pipeline.Image(item, speed, kbps);
        var crops = Pipeline.Crops(image, augment);
        Speakers?.Subtract(item, crops);
        return (crops, augment?.Fork("standardised"));
    }

    protected override LogMelBatch Collate((Tensor Crops, RandomStream? Augment)[] clips)
    {
        var first = clips[0].Crops;
        var batch = new Tensor([clips.Length, .. first.Shape]);
        for (int i = 0; i < clips.Length; i++) clips[i].Crops.Data.CopyTo(batch.Data, (long)i * first.Size);
        return new LogMelBatch(batch, clips[0].Augment is null ? null : Array.ConvertAll(clips, c => c.Augment!));
    }
}
