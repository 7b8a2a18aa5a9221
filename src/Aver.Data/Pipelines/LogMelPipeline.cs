using System.Collections.Concurrent;
using Aver.Data.Catalogs;
using Aver.Features.Augmentation;
using Aver.Features.LogMel;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>
/// Clip -> log-mel input of a compact CNN (<see cref="LogMelOptions"/>): each clip's whole image
/// [mels, ClipFrames] is computed once and kept (960 RAVDESS clips take 86 MB), and crops of CropFrames
/// are cut from it: one random crop per training pass, or the evaluation crops whose logits are averaged
/// (the peer's test-time averaging). Crops are returned as they are; the fold's band standardisation
/// (<see cref="LogMelFrontEnd.Normalize"/>) is applied by the model's task, which knows the fold.
/// </summary>
public sealed class LogMelPipeline(LogMelOptions? options = null)
{
    private readonly ConcurrentDictionary<string, Tensor> _images = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AudioBuffer> _audio = new(StringComparer.Ordinal);

    public LogMelOptions Options { get; } = options ?? new LogMelOptions();

    /// <summary>The clip's image [mels, ClipFrames], decoded and computed once.</summary>
    public Tensor Image(CatalogItem item) =>
        _images.GetOrAdd(item.Path, p => LogMelSpectrogram.Compute(MediaDecoder.ReadAudio(p, Options.SampleRate), Options));

    /// <summary>
    /// The image of the clip played at <paramref name="speed"/> times its speed (<see cref="SpeedPerturbation"/>;
    /// training only), computed once per clip and speed.
    /// </summary>
    public Tensor Image(CatalogItem item, double speed) => Image(item, speed, null);

    /// <summary>
    /// The image of the clip at <paramref name="speed"/> times its speed and, unless <paramref name="kbps"/> is null,
    /// through an mp3 round trip at that bitrate (<see cref="CodecAugmentation"/>; training only), computed once per
    /// clip, speed and bitrate.
    /// </summary>
    public Tensor Image(CatalogItem item, double speed, int? kbps) => speed == 1 && kbps is null ? Image(item) :
        _images.GetOrAdd(Key(item, speed, kbps), _ => LogMelSpectrogram.Compute(Audio(item, speed, kbps, keep: false), Options));

    /// <summary>
    /// Computes and keeps the clip's image at its own speed and at each of <paramref name="speeds"/>, each also through
    /// each mp3 bitrate of <paramref name="kbps"/>, decoding the file once; with <paramref name="keepAudio"/> the decoded
    /// (sped, coded) audio is kept too, for augmentations that change the waveform on every draw (<see cref="Audio(CatalogItem, double, int?)"/>).
    /// </summary>
    public void Prepare(CatalogItem item, IReadOnlyList<double> speeds, bool keepAudio = false, IReadOnlyList<int>? kbps = null)
    {
        AudioBuffer? decoded = null;
        AudioBuffer Decoded() => decoded ??= MediaDecoder.ReadAudio(item.Path, Options.SampleRate);
        kbps ??= [];
        foreach (double speed in speeds.Prepend(1.0).Distinct())
        {
            var sped = keepAudio ? Audio(item, speed) : speed == 1 ? Decoded() : SpeedPerturbation.Apply(Decoded(), speed);
            _images.GetOrAdd(Key(item, speed, null), _ => LogMelSpectrogram.Compute(sped, Options));
            var missing = kbps.Where(k => !_images.ContainsKey(Key(item, speed, k))).ToArray();
            // Every bitrate of this speed in one round trip: ffmpeg's start-up, not the encoding, is what costs.
            var coded = AudioCodec.Mp3RoundTrips(sped, missing);
            for (int i = 0; i < missing.Length; i++)
            {
                if (keepAudio) _audio.TryAdd(Key(item, speed, missing[i]), coded[i]);
                _images.TryAdd(Key(item, speed, missing[i]), LogMelSpectrogram.Compute(coded[i], Options));
            }
        }
    }

    /// <summary>The clip's decoded audio at <paramref name="speed"/> times its speed (and through mp3 at <paramref name="kbps"/> unless null), decoded, sped and coded once and kept.</summary>
    public AudioBuffer Audio(CatalogItem item, double speed = 1, int? kbps = null) => Audio(item, speed, kbps, keep: true);

    /// <summary>
    /// The clip's audio at <paramref name="speed"/>, through mp3 at <paramref name="kbps"/> unless null: the decoded clip,
    /// sped, then coded, each step from the one before; with <paramref name="keep"/> every step is kept.
    /// </summary>
    private AudioBuffer Audio(CatalogItem item, double speed, int? kbps, bool keep)
    {
        AudioBuffer Make() =>
            kbps is int k ? AudioCodec.Mp3RoundTrip(Audio(item, speed, null, keep), k)
            : speed != 1 ? SpeedPerturbation.Apply(Audio(item, 1, null, keep), speed)
            : MediaDecoder.ReadAudio(item.Path, Options.SampleRate);
        return keep ? _audio.GetOrAdd(Key(item, speed, kbps), _ => Make()) : Make();
    }

    /// <summary>The cache key of a clip's variant: its path alone for the clip as it is.</summary>
    private static string Key(CatalogItem item, double speed, int? kbps) =>
        item.Path + (speed == 1 ? "" : "\0speed=" + speed.ToString("R", System.Globalization.CultureInfo.InvariantCulture))
        + (kbps is int k ? "\0mp3=" + k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    /// <summary>The image [mels, ClipFrames] of decoded audio (prediction).</summary>
    public Tensor Image(AudioBuffer audio) => LogMelSpectrogram.Compute(audio, Options);

    /// <summary>
    /// Crops of <paramref name="image"/>, as [crops, 1, mels, CropFrames]:
    /// with <paramref name="augment"/> one crop at a uniformly random start (training), else the evaluation crops.
    /// </summary>
    public Tensor Crops(Tensor image, RandomStream? augment = null) =>
        Crops(image, augment is null ? Options.EvalOffsets() : [augment.NextInt(Options.CropPositions)]);

    /// <summary>Crops of <paramref name="image"/> [mels, frames] at the given start frames: [offsets, 1, mels, CropFrames].</summary>
    public Tensor Crops(Tensor image, IReadOnlyList<int> offsets)
    {
        int mels = Options.Bands, frames = image.Dim(1), crop = Options.CropFrames;
        if (image.Rank != 2 || image.Dim(0) != mels || frames < crop)
            throw new ShapeException($"LogMelPipeline: image {ShapeMath.Format(image.Shape)} is not [{mels}, >= {crop}]");
        var output = new Tensor(offsets.Count, 1, mels, crop);
        var dst = output.Data.AsSpan();
        for (int k = 0; k < offsets.Count; k++)
        {
            int start = offsets[k];
            if (start < 0 || start + crop > frames) throw new ArgumentOutOfRangeException(nameof(offsets), start, $"LogMelPipeline: a crop of {crop} frames at {start} leaves the {frames}-frame image");
            for (int m = 0; m < mels; m++)
                image.Data.AsSpan(m * frames + start, crop).CopyTo(dst.Slice((k * mels + m) * crop, crop));
        }
        return output;
    }
}
