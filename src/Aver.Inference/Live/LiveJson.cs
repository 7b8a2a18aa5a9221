using System.Text.Json.Nodes;

namespace Aver.Inference.Live;

/// <summary>The JSON lines of <c>aver live --json</c>: one object per window as it is answered, then the summary.</summary>
public static class LiveJson
{
    /// <summary><c>{"start", "end", "label", "probabilities", "branches": {"audio": {...} | null, "visual": ...}, "latency"}</c>; label and probabilities null when no branch answered.</summary>
    public static JsonObject Window(LiveWindow w)
    {
        var branches = new JsonObject();
        foreach (var (name, answer) in w.Branches)
            branches[name] = answer is null ? null : new JsonObject { ["label"] = answer.Top.Name, ["probabilities"] = PredictionJson.Probabilities(answer) };
        return new JsonObject
        {
            ["start"] = Math.Round(w.Window.Start, 3),
            ["end"] = Math.Round(w.Window.End, 3),
            ["label"] = w.Fused?.Probabilities.Top.Name,
            ["probabilities"] = w.Fused is { } f ? PredictionJson.Probabilities(f.Probabilities) : null,
            ["branches"] = branches,
            ["latency"] = Math.Round(w.Latency, 3),
        };
    }

    /// <summary><c>{"summary": {clip as aver predict writes it, without timeline}, "windows", "latency": {"p50", "p95", "max"}, "streams", "problem", "stopped"}</c>.</summary>
    public static JsonObject Summary(LiveSummary s) => new()
    {
        ["summary"] = PredictionJson.Clip(s.Prediction, null, timeline: false),
        ["windows"] = s.Windows,
        ["latency"] = s.Windows == 0 ? null : new JsonObject
        {
            ["p50"] = Math.Round(s.LatencyQuantile(0.5)!.Value, 3),
            ["p95"] = Math.Round(s.LatencyQuantile(0.95)!.Value, 3),
            ["max"] = Math.Round(s.LatencyQuantile(1)!.Value, 3),
        },
        ["streams"] = s.Layout,
        ["problem"] = s.Problem,
        ["stopped"] = s.Stopped,
    };
}
