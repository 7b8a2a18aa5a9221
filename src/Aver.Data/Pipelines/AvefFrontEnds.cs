using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Features.Avef;
using Aver.Features.Cache;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Tensors.IO;

namespace Aver.Data.Pipelines;

/// <summary>
/// The preprocessing an AVEF model was trained with, saved in its model spec and rebuilt from it:
/// "audio" (log-mel + deltas of 0.64-s segments, §2.1; VAD selection in case 2) and, for an
/// audio-visual model, "face" (AVEF-style face crops of 16-frame segments). Training and prediction
/// build their pipelines from this one object.
/// </summary>
/// <param name="Case">1: every segment; 2: the VAD drops segments with less than <paramref name="MinSpeechFraction"/> speech.</param>
/// <param name="Standardize">Each stack plane standardised over the clip's kept segments.</param>
/// <param name="FaceSize">Face crop side (audio-visual models).</param>
/// <param name="Gray">Grayscale faces.</param>
/// <param name="Fps">Decoding rate of the faces (null: the clip's own).</param>
/// <param name="Audio">The log-mel front end's parameters (the paper's by default).</param>
public sealed record AvefFrontEnds(int Case = 1, double MinSpeechFraction = 0.5, bool Standardize = true, int FaceSize = 64, bool Gray = false, double? Fps = null,
    AvefAudioOptions? Audio = null)
{
    public const string AudioName = "audio", FaceName = "face";

    /// <summary>The log-mel front end's parameters.</summary>
    public AvefAudioOptions AudioOptions => Audio ?? new AvefAudioOptions();

    /// <summary>The audio pipeline: case 2 drops silent segments.</summary>
    public AvefAudioPipeline AudioPipeline(FeatureCache? cache = null) => new(AudioOptions, Case == 2 ? SilenceHandling.DropSilent : SilenceHandling.KeepAll,
        MinSpeechFraction, cache, standardize: Standardize);

    /// <summary>The face crops of an audio-visual model.</summary>
    public FaceCropOptions FaceCrop => new() { Style = FaceCropStyle.Avef, Size = FaceSize, Color = Gray ? ImageColor.Gray : ImageColor.Rgb };

    /// <summary>The visual pipeline of an audio-visual model: faces found by <paramref name="tracker"/>, cropped as in training.</summary>
    public AvefVisualPipeline VisualPipeline(FaceTracker tracker, FeatureCache? cache = null) => new(tracker, FaceCrop, Fps, cache);

    private sealed record AudioPart(AvefAudioOptions Options, int Case, double MinSpeechFraction, bool Standardize);
    private sealed record FacePart(int Size, bool Gray, double? Fps);

    /// <summary>The front ends as the spec's JSON objects ("face" only for an audio-visual model).</summary>
    public Dictionary<string, JsonObject> ToSpec(bool audioVisual)
    {
        var ends = new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            [AudioName] = JsonSerializer.SerializeToNode(new AudioPart(AudioOptions, Case, MinSpeechFraction, Standardize), MetadataJson.Options)!.AsObject(),
        };
        if (audioVisual) ends[FaceName] = JsonSerializer.SerializeToNode(new FacePart(FaceSize, Gray, Fps), MetadataJson.Options)!.AsObject();
        return ends;
    }

    /// <summary>The front ends a spec holds; <see cref="InvalidDataException"/> names <paramref name="source"/> and the front end.</summary>
    public static AvefFrontEnds FromSpec(IReadOnlyDictionary<string, JsonObject> ends, string source)
    {
        if (!ends.TryGetValue(AudioName, out var a)) throw new InvalidDataException($"{source}: its AVEF model spec has no audio front end");
        var audio = Read<AudioPart>(a, source, AudioName);
        if (audio.Case is not (1 or 2) || !(audio.MinSpeechFraction is >= 0 and <= 1))
            throw new InvalidDataException($"{source}: model spec front_ends.audio: case must be 1 or 2 and min_speech_fraction in [0, 1]");
        var face = ends.TryGetValue(FaceName, out var f) ? Read<FacePart>(f, source, FaceName) : new FacePart(64, false, null);
        if (face.Size < 8 || face.Fps is <= 0) throw new InvalidDataException($"{source}: model spec front_ends.face: size must be at least 8 and fps positive");
        return new AvefFrontEnds(audio.Case, audio.MinSpeechFraction, audio.Standardize, face.Size, face.Gray, face.Fps, audio.Options);
    }

    private static T Read<T>(JsonObject node, string source, string name)
    {
        try { return node.Deserialize<T>(MetadataJson.Options) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: model spec front_ends.{name} is unreadable ({e.Message.Split(" Path:")[0]})", e); }
    }
}
