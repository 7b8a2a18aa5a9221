using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aver.Inference;

/// <summary>
/// The JSON of <c>aver predict --json</c>, shared by the command line and <c>aver serve</c> so both answer in
/// exactly the same shape: a document <c>{"model", "labels", "clips": [...], "failed", "mediaSeconds", ...}</c>
/// whose clips are <see cref="Clip"/> objects or <see cref="Failure"/> objects.
/// </summary>
public static class PredictionJson
{
    /// <summary>How the document is written (indented, as the CLI prints it).</summary>
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };

    /// <summary>
    /// The one-line error of a clip no branch could answer (null when it has a label), as the CLI reports it.
    /// <paramref name="file"/> names the clip (the CLI's path, the server's upload name).
    /// </summary>
    public static string? Unanswered(string file, ClipPrediction p) =>
        p.Probabilities is null ? $"{file}: no branch could answer ({p.Problem})" : null;

    /// <summary>A clip that could not be read at all: its name and the one-line error.</summary>
    public static JsonObject Failure(string file, string error) => new() { ["file"] = file, ["error"] = error };

    /// <summary>One answered clip: label, probabilities, each branch, and (unless <paramref name="timeline"/> is false) the timeline.</summary>
    public static JsonObject Clip(ClipPrediction p, string? error, bool timeline)
    {
        var o = new JsonObject
        {
            ["file"] = p.Path,
            ["label"] = p.Label?.Name,
            ["probabilities"] = p.Probabilities is { } f ? Probabilities(f) : null,
            ["seconds"] = Math.Round(p.Duration, 3),
            ["elapsedSeconds"] = Math.Round(p.ElapsedSeconds, 3),
            ["branches"] = new JsonArray(p.Branches.Select(b => (JsonNode)new JsonObject
            {
                ["name"] = b.Name,
                ["status"] = b.Status.ToString().ToLowerInvariant(),
                ["label"] = b.Probabilities?.Top.Name,
                ["probabilities"] = b.Probabilities is { } bp ? Probabilities(bp) : null,
                ["weight"] = Math.Round(b.Weight, 4),
                ["steps"] = b.Steps,
                ["message"] = b.Message,
            }).ToArray()),
        };
        if (error is not null) o["error"] = error;
        if (timeline)
            o["timeline"] = new JsonArray(p.Timeline.Select(s => (JsonNode)new JsonObject
            {
                ["start"] = Math.Round(s.Start, 3), ["end"] = Math.Round(s.End, 3), ["label"] = s.Probabilities.Top.Name,
                ["probabilities"] = Probabilities(s.Probabilities), ["sources"] = new JsonArray(s.Sources.Select(x => (JsonNode)x).ToArray()),
            }).ToArray());
        return o;
    }

    /// <summary>The whole document around <paramref name="clips"/>; <paramref name="cpuSeconds"/> is null where it is not measured.</summary>
    public static JsonObject Document(IClipModel model, JsonArray clips, int failed, double mediaSeconds, double wallSeconds, double? cpuSeconds) => new()
    {
        ["model"] = model.Description, ["labels"] = new JsonArray(model.Labels.Names.Select(n => (JsonNode)n).ToArray()),
        ["clips"] = clips, ["failed"] = failed, ["mediaSeconds"] = Math.Round(mediaSeconds, 3), ["wallSeconds"] = Math.Round(wallSeconds, 3),
        ["realTimeFactor"] = Math.Round(mediaSeconds / Math.Max(wallSeconds, 1e-9), 2), ["cpuSeconds"] = cpuSeconds is double c ? Math.Round(c, 3) : null,
    };

    /// <summary>Class name to probability, rounded to 4 decimals.</summary>
    public static JsonObject Probabilities(ClassProbabilities p)
    {
        var o = new JsonObject();
        for (int i = 0; i < p.Values.Length; i++) o[p.Space.Names[i]] = Math.Round(p.Values[i], 4);
        return o;
    }
}
