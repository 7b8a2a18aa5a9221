using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Features.Mrpn;
using Aver.Tensors.IO;

namespace Aver.Data.Pipelines;

/// <summary>
/// The preprocessing an MRPN network was trained with, saved in its model spec and rebuilt from it:
/// "audio" (spectrogram segments, MRPN §4.4 items 3-4, average-pooled by <see cref="AudioPool"/>) and
/// "face" (face crops and pixel standardisation). Training and prediction build their pipelines from
/// this one object (<see cref="AudioPipeline"/>, <see cref="VideoPipeline"/>).
/// </summary>
public sealed record MrpnFrontEnds(MrpnAudioOptions? Audio, int AudioPool, MrpnVideoOptions? Video)
{
    public const string AudioName = "audio", FaceName = "face";

    /// <summary>The audio pipeline without a segment cache (null without audio).</summary>
    public MrpnAudioPipeline? AudioPipeline() => Audio is null ? null : new(Audio, AudioPool, segmentCacheBytes: 0);

    /// <summary>The face pipeline without augmentation or disk cache (null without faces).</summary>
    public MrpnVideoPipeline? VideoPipeline(Func<Aver.Media.FaceTracker>? tracker = null) =>
        Video is null ? null : new(Video with { Spatial = null }, cache: null, tracker);

    /// <summary>The front ends as the spec's JSON objects; augmentation is a training matter and is not saved.</summary>
    public Dictionary<string, JsonObject> ToSpec()
    {
        var ends = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (Audio is not null)
        {
            var audio = JsonSerializer.SerializeToNode(Audio, MetadataJson.Options)!.AsObject();
            audio["pool"] = AudioPool;
            ends[AudioName] = audio;
        }
        if (Video is not null) ends[FaceName] = JsonSerializer.SerializeToNode(Video with { Spatial = null }, MetadataJson.Options)!.AsObject();
        return ends;
    }

    /// <summary>The front ends a spec holds; <see cref="InvalidDataException"/> names <paramref name="source"/> and the front end.</summary>
    public static MrpnFrontEnds FromSpec(IReadOnlyDictionary<string, JsonObject> ends, string source)
    {
        MrpnAudioOptions? audio = null;
        int pool = 1;
        if (ends.TryGetValue(AudioName, out var a))
        {
            var copy = (JsonObject)a.DeepClone();
            pool = copy["pool"] is JsonValue p && p.TryGetValue(out int n) && n >= 1 ? n
                : throw new InvalidDataException($"{source}: model spec front_ends.audio.pool must be a positive integer");
            copy.Remove("pool");
            audio = Read<MrpnAudioOptions>(copy, source, AudioName);
            try { audio.Validate(); }
            catch (ArgumentException e) { throw new InvalidDataException($"{source}: model spec front_ends.audio: {e.Message}", e); }
        }
        MrpnVideoOptions? video = null;
        if (ends.TryGetValue(FaceName, out var f))
        {
            video = Read<MrpnVideoOptions>(f, source, FaceName) with { Spatial = null };
            try { video.Validate(); }
            catch (ArgumentException e) { throw new InvalidDataException($"{source}: model spec front_ends.face: {e.Message}", e); }
        }
        return new MrpnFrontEnds(audio, pool, video);
    }

    private static T Read<T>(JsonObject node, string source, string name)
    {
        try { return node.Deserialize<T>(MetadataJson.Options) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: model spec front_ends.{name} is unreadable ({e.Message.Split(" Path:")[0]})", e); }
    }
}
