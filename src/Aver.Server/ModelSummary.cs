using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Inference;
using Aver.Models.AudioCnn;
using Aver.Models.Fusion;
using Aver.Models.Spec;

namespace Aver.Server;

/// <summary>
/// <c>GET /v1/model</c>: what the loaded model answers in (label space), its branches, format and version, and the first
/// lines of its model card. Format details come from the model file's safetensors header, read without its tensors.
/// </summary>
public static class ModelSummary
{
    /// <summary>Indented, with the card's text as written (no \uXXXX escapes for dashes and plus signs).</summary>
    public static JsonSerializerOptions Json { get; } = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The summary of <paramref name="model"/>, loaded from <paramref name="modelPath"/> (a file or a folder holding it).</summary>
    public static JsonObject Of(IClipModel model, string modelPath)
    {
        var meta = ReadMetadata(ModelLoader.Resolve(modelPath));
        // A model spec names its family; a decision-fusion model's architecture has one entry per branch.
        JsonObject? spec = meta.TryGetValue(ModelSpec.MetadataKey, out var text) ? JsonNode.Parse(text) as JsonObject : null;
        string? family = spec?["family"]?.GetValue<string>() ?? meta.GetValueOrDefault("format");
        var branches = new JsonArray();
        if (spec is not null && family == DecisionFusionArchitecture.Family)
        {
            var architecture = ModelSpec.FromMetadata(meta, modelPath).ArchitectureAs<DecisionFusionArchitecture>(modelPath);
            if (architecture.Audio is { } audio)
                branches.Add(new JsonObject { ["name"] = "audio", ["architecture"] = audio.Cnn is not null || audio.Cnns is not null ? AudioCnnArchitecture.Family : "mrpn-am" });
            if (architecture.Visual is not null) branches.Add(new JsonObject { ["name"] = "visual", ["architecture"] = "resnet18" });
        }
        if (branches.Count == 0 && family is not null) branches.Add(new JsonObject { ["name"] = family, ["architecture"] = family });
        return new JsonObject
        {
            ["model"] = model.Description,
            ["labelSpace"] = model.Labels.Name,
            ["labels"] = new JsonArray(model.Labels.Names.Select(n => (JsonNode)n).ToArray()),
            ["branches"] = branches,
            ["format"] = family,
            ["formatVersion"] = spec?["spec_version"]?.ToString() ?? meta.GetValueOrDefault("format_version"),
            ["card"] = CardSummary(modelPath),
        };
    }

    /// <summary>The <c>__metadata__</c> strings of a safetensors header (8-byte little-endian length, then JSON); empty when unreadable.</summary>
    internal static Dictionary<string, string> ReadMetadata(string? file)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (file is null) return result;
        try
        {
            using var fs = File.OpenRead(file);
            Span<byte> head = stackalloc byte[8];
            fs.ReadExactly(head);
            long length = BinaryPrimitives.ReadInt64LittleEndian(head);
            if (length is <= 0 or > 100_000_000) return result;
            var json = new byte[length];
            fs.ReadExactly(json);
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("__metadata__", out var meta))
                foreach (var p in meta.EnumerateObject())
                    if (p.Value.ValueKind == JsonValueKind.String) result[p.Name] = p.Value.GetString()!;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { }
        return result;
    }

    /// <summary>MODEL_CARD.md beside the model: its title and first paragraph (null when there is no card).</summary>
    private static JsonObject? CardSummary(string modelPath)
    {
        var folder = Directory.Exists(modelPath) ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var card = Path.Combine(folder, "MODEL_CARD.md");
        if (!File.Exists(card)) return null;
        var lines = File.ReadLines(card).Take(200).ToList();
        var title = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim();
        var paragraph = lines.SkipWhile(l => !l.StartsWith("# ", StringComparison.Ordinal)).Skip(1)
            .SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l));
        return new JsonObject { ["title"] = title, ["summary"] = string.Join(" ", paragraph.Select(l => l.Trim())) };
    }
}
