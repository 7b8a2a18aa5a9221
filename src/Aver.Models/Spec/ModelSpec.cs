using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Tensors.IO;

namespace Aver.Models.Spec;

/// <summary>
/// Everything needed to use a saved model, kept as versioned JSON in its safetensors metadata
/// (key <see cref="MetadataKey"/>): the family that builds the network (<see cref="ModelRegistry"/>),
/// the family's architecture, the label space, every front end with its parameters, calibration and
/// provenance. Front ends and calibration are JSON objects owned by the layers that define them
/// (Features, Data, Inference), so this layer needs none of their types.
/// </summary>
/// <param name="Family">The registry's name of the builder (e.g. "mrpn", "resnet18").</param>
/// <param name="Architecture">The family's configuration, read by its builder.</param>
/// <param name="Labels">The classes of the network's outputs, in order.</param>
/// <param name="FrontEnds">Preprocessing by name ("audio", "face", ...), each a JSON object of its owner's options.</param>
/// <param name="Calibration">Post-processing of the scores (e.g. temperatures), or null.</param>
/// <param name="Provenance">Where the weights came from.</param>
/// <param name="Extra">Informative values (fold, row, epoch) that change nothing in how the model runs.</param>
/// <param name="Components">Trained parts that are not tensors, as text in their own format (AVEF's clip SVM in LIBSVM's).</param>
public sealed record ModelSpec(
    string Family,
    JsonObject Architecture,
    LabelSpec Labels,
    IReadOnlyDictionary<string, JsonObject> FrontEnds,
    JsonObject? Calibration = null,
    Provenance? Provenance = null,
    IReadOnlyDictionary<string, string>? Extra = null,
    IReadOnlyDictionary<string, string>? Components = null)
{
    /// <summary>The metadata key that holds the spec.</summary>
    public const string MetadataKey = "aver_spec";

    /// <summary>The layout version written; a file with a newer one is refused rather than misread.</summary>
    public const int CurrentVersion = 1;

    private static JsonSerializerOptions Json => MetadataJson.Options;

    /// <summary>The architecture as its family's record.</summary>
    public T ArchitectureAs<T>(string source) => Read<T>(Architecture, source, "architecture");

    /// <summary>An architecture record as the spec's JSON object.</summary>
    public static JsonObject ToJson<T>(T value) => JsonSerializer.SerializeToNode(value, Json)!.AsObject();

    /// <summary>The safetensors metadata of this spec: the JSON, and "format" = family for readers that dispatch on it.</summary>
    public Dictionary<string, string> ToMetadata()
    {
        var root = new JsonObject
        {
            ["spec_version"] = CurrentVersion,
            ["family"] = Family,
            ["architecture"] = Architecture.DeepClone(),
            ["labels"] = JsonSerializer.SerializeToNode(Labels, Json),
            ["front_ends"] = new JsonObject(FrontEnds.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.DeepClone()))),
        };
        if (Calibration is not null) root["calibration"] = Calibration.DeepClone();
        if (Provenance is not null) root["provenance"] = JsonSerializer.SerializeToNode(Provenance, Json);
        if (Extra is { Count: > 0 }) root["extra"] = JsonSerializer.SerializeToNode(Extra, Json);
        if (Components is { Count: > 0 }) root["components"] = JsonSerializer.SerializeToNode(Components, Json);
        return new Dictionary<string, string> { ["format"] = Family, [MetadataKey] = root.ToJsonString() };
    }

    /// <summary>True when <paramref name="metadata"/> holds a spec (older files hold flat keys instead).</summary>
    public static bool IsIn(IReadOnlyDictionary<string, string> metadata) => metadata.ContainsKey(MetadataKey);

    /// <summary>Reads the spec of a model file; <see cref="InvalidDataException"/> names <paramref name="source"/> and what is wrong.</summary>
    public static ModelSpec FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(MetadataKey, out var text))
            throw new InvalidDataException($"{source}: no '{MetadataKey}' in its metadata, so it is not an Aver model file");
        JsonObject root;
        try { root = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        { throw new InvalidDataException($"{source}: its model spec is not a JSON object ({e.Message})", e); }

        int version = root["spec_version"] is JsonValue v && v.TryGetValue(out int n) ? n
            : throw new InvalidDataException($"{source}: its model spec has no integer spec_version");
        if (version < 1 || version > CurrentVersion)
            throw new InvalidDataException($"{source}: model spec version {version} is newer than this build reads ({CurrentVersion}); update Aver");
        string family = root["family"] is JsonValue f && f.TryGetValue(out string? name) && name.Length > 0 ? name
            : throw new InvalidDataException($"{source}: its model spec names no family");
        var architecture = root["architecture"] as JsonObject ?? throw new InvalidDataException($"{source}: its model spec has no architecture object");
        var labels = Read<LabelSpec>(root["labels"], source, "labels");
        labels.Validate(source);
        var frontEnds = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (root["front_ends"] is JsonObject ends)
            foreach (var (key, node) in ends)
                frontEnds[key] = node as JsonObject ?? throw new InvalidDataException($"{source}: model spec front_ends.{key} is not an object");
        return new ModelSpec(family, (JsonObject)architecture.DeepClone(), labels, frontEnds,
            root["calibration"]?.DeepClone() as JsonObject,
            root["provenance"] is null ? null : Read<Provenance>(root["provenance"], source, "provenance"),
            root["extra"] is null ? null : Read<Dictionary<string, string>>(root["extra"], source, "extra"),
            root["components"] is null ? null : Read<Dictionary<string, string>>(root["components"], source, "components"));
    }

    private static T Read<T>(JsonNode? node, string source, string what)
    {
        try { return node.Deserialize<T>(Json) ?? throw new JsonException("null"); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        { throw new InvalidDataException($"{source}: model spec {what} is unreadable ({FirstLine(e.Message)})", e); }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Split(" Path:")[0];
}

/// <summary>A model's classes: the label space's name and its class names in output order.</summary>
public sealed record LabelSpec(string Space, IReadOnlyList<string> Names)
{
    /// <summary>Throws naming <paramref name="source"/> unless there are two or more distinct, non-blank names.</summary>
    public void Validate(string source)
    {
        if (string.IsNullOrWhiteSpace(Space)) throw new InvalidDataException($"{source}: model spec labels have no space name");
        if (Names is null || Names.Count < 2 || Names.Any(string.IsNullOrWhiteSpace) || Names.Distinct(StringComparer.Ordinal).Count() != Names.Count)
            throw new InvalidDataException($"{source}: model spec labels need two or more distinct class names");
    }
}

/// <summary>Where a model's weights came from: its training data, the command, the code's commit, when.</summary>
public sealed record Provenance(string? Data = null, string? Command = null, string? Commit = null, DateTimeOffset? Created = null);
