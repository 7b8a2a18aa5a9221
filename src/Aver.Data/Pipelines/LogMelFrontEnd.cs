using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Features.LogMel;
using Aver.Tensors.IO;

namespace Aver.Data.Pipelines;

/// <summary>
/// A log-mel front end as a trained model keeps it in its spec (front end "audio"): the
/// <see cref="LogMelOptions"/> and each mel band's mean and deviation over the fold's training clips
/// (the peer's per-band standardisation, statistics of the training side only). Training and
/// prediction build their inputs from this one object (<see cref="LogMelPipeline"/>, <see cref="Normalize"/>).
/// </summary>
/// <param name="Options">How a clip becomes its log-mel image.</param>
/// <param name="BandMean">Per mel band, the mean log-mel value over the training clips' frames.</param>
/// <param name="BandStd">Per mel band, the (unbiased) deviation plus 1e-5, as the peer's <c>std + 1e-5</c>.</param>
public sealed record LogMelFrontEnd(LogMelOptions Options, float[] BandMean, float[] BandStd)
{
    /// <summary>The spec's name of this front end.</summary>
    public const string Name = "audio";

    /// <summary>Added to each band's deviation (the peer's 1e-5), so a constant band divides safely.</summary>
    public const double StdOffset = 1e-5;

    /// <summary>
    /// The front end whose band statistics are those of <paramref name="images"/> (clip images [mels, frames],
    /// the training side of a fold): per band, the mean and unbiased deviation over every clip's frames.
    /// </summary>
    public static LogMelFrontEnd Fit(LogMelOptions options, IEnumerable<Aver.Tensors.Tensor> images)
    {
        int mels = options.Bands;
        var sum = new double[mels];
        var sumSq = new double[mels];
        long count = 0;
        foreach (var image in images)
        {
            if (image.Rank != 2 || image.Dim(0) != mels)
                throw new ArgumentException($"LogMelFrontEnd.Fit: image [{string.Join(", ", image.Shape.ToArray())}] is not [{mels}, frames]");
            int frames = image.Dim(1);
            for (int m = 0; m < mels; m++)
            {
                var row = image.Data.AsSpan(m * frames, frames);
                // Row sums in float are exact enough per 351-frame row; totals accumulate in double.
                sum[m] += System.Numerics.Tensors.TensorPrimitives.Sum(row);
                sumSq[m] += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row);
            }
            count += frames;
        }
        if (count < 2) throw new ArgumentException("LogMelFrontEnd.Fit: band statistics need at least two frames");
        var mean = new float[mels];
        var std = new float[mels];
        for (int m = 0; m < mels; m++)
        {
            double mu = sum[m] / count;
            double variance = Math.Max(0, (sumSq[m] - count * mu * mu) / (count - 1));
            mean[m] = (float)mu;
            std[m] = (float)(Math.Sqrt(variance) + StdOffset);
        }
        return new LogMelFrontEnd(options, mean, std);
    }

    /// <summary>Standardises each band of <paramref name="images"/> in place: a run of [mels, frames] images, rows (x - mean) / std.</summary>
    public void Normalize(Span<float> images, int frames)
    {
        int mels = Options.Bands, image = mels * frames;
        if (frames < 1 || images.Length % image != 0)
            throw new ArgumentException($"LogMelFrontEnd.Normalize: {images.Length} values are not whole [{mels}, {frames}] images");
        for (int offset = 0; offset < images.Length; offset += image)
            for (int m = 0; m < mels; m++)
            {
                var row = images.Slice(offset + m * frames, frames);
                System.Numerics.Tensors.TensorPrimitives.Subtract(row, BandMean[m], row);
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, 1f / BandStd[m], row);
            }
    }

    /// <summary>A band-standardised copy of <paramref name="crops"/> (any shape ending in [mels, frames]).</summary>
    public Aver.Tensors.Tensor Normalized(Aver.Tensors.Tensor crops)
    {
        var copy = new Aver.Tensors.Tensor(crops.Shape.ToArray());
        crops.Data.AsSpan(0, copy.Size).CopyTo(copy.Data);
        Normalize(copy.Data.AsSpan(0, copy.Size), crops.Dim(crops.Rank - 1));
        return copy;
    }

    /// <summary>The pipeline that makes this front end's (un-normalised) clip images and crops.</summary>
    public LogMelPipeline Pipeline() => new(Options);

    /// <summary>The front end as the spec's JSON object.</summary>
    public JsonObject ToSpec() => JsonSerializer.SerializeToNode(this, MetadataJson.Options)!.AsObject();

    /// <summary>
    /// The front end of a spec named <paramref name="name"/> ("audio", or "audio.i" for member i of an ensemble);
    /// <see cref="InvalidDataException"/> names <paramref name="source"/> and what is wrong.
    /// </summary>
    public static LogMelFrontEnd FromSpec(IReadOnlyDictionary<string, JsonObject> ends, string source, string name = Name)
    {
        if (!ends.TryGetValue(name, out var node)) throw new InvalidDataException($"{source}: its model spec has no front_ends.{name}");
        LogMelFrontEnd? end;
        try { end = node.Deserialize<LogMelFrontEnd>(MetadataJson.Options); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: model spec front_ends.{name} is unreadable ({e.Message.Split(" Path:")[0]})", e); }
        if (end?.Options is null || end.BandMean is null || end.BandStd is null)
            throw new InvalidDataException($"{source}: model spec front_ends.{name} needs options, band_mean and band_std");
        if (end.Options.SpeakerNorm)
            throw new InvalidDataException($"{source}: its front end subtracts each speaker's band means over all their clips (features.log_mel.speaker_norm), which prediction does not do yet; its fold's report has its scores");
        try { end.Options.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: model spec front_ends.{name}: {e.Message}", e); }
        if (end.BandMean.Length != end.Options.Bands || end.BandStd.Length != end.Options.Bands || end.BandStd.Any(s => !(s > 0)))
            throw new InvalidDataException($"{source}: model spec front_ends.{name} needs {end.Options.Bands} band means and positive deviations");
        return end;
    }
}
