using System.Text.Json;

namespace Aver.Models.Avef;

/// <summary>The architecture of an <see cref="AvefNetwork"/>: both CNNs and the DBN's hidden layers (its input is audio fc7 + visual fc7).</summary>
/// <param name="Audio">The audio-network.</param>
/// <param name="Visual">The visual-network (same class count as the audio-network).</param>
/// <param name="DbnHidden">The DBN's hidden layers (4096, 2048 in the paper).</param>
public sealed record AvefConfig(AudioNetConfig Audio, VisualNetConfig Visual, IReadOnlyList<int> DbnHidden)
{
    /// <summary>The name stored as <c>architecture</c> in a model file's metadata.</summary>
    public const string Architecture = "avef";

    /// <summary>Widths / 4, fc 512, 16x64x64 RGB faces, DBN 1024-512-256-C: trains on a CPU.</summary>
    public static AvefConfig Compact(int classes) => new(new AudioNetConfig(classes), new VisualNetConfig(classes), [512, 256]);

    /// <summary>The paper's sizes: AlexNet widths, C3D on 16x112x112, DBN 8192-4096-2048-C (§2.2).</summary>
    public static AvefConfig Paper(int classes) => new(AudioNetConfig.Paper(classes), VisualNetConfig.Paper(classes), [4096, 2048]);

    public int Classes => Audio.Classes;

    /// <summary>The DBN's shape.</summary>
    public DbnConfig Dbn => new(Audio.FcSize + Visual.FcSize, DbnHidden, Audio.Classes);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses <see cref="ToJson"/>'s output; <paramref name="source"/> names the file in errors.</summary>
    public static AvefConfig FromJson(string json, string source = "AVEF config")
    {
        try
        {
            return JsonSerializer.Deserialize<AvefConfig>(json, Json) ?? throw new InvalidDataException($"{source}: empty AVEF config");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid AVEF config ({e.Message})", e);
        }
    }
}
