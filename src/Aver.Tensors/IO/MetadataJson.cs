using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aver.Tensors.IO;

/// <summary>
/// The JSON conventions of everything Aver keeps in a model file's metadata (the model spec and the
/// front ends and architectures inside it), shared by every layer that writes or reads a part:
/// snake_case names, enums as snake_case strings, nulls left out, unknown names an error.
/// </summary>
public static class MetadataJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };
}
