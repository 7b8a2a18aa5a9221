using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Inference;

namespace Aver.Server.Tests;

/// <summary>POST /v1/predict on real clips: the answer is predict's JSON for that clip.</summary>
[Collection(ServerCollection.Name)]
public class PredictApiTests(AverApi api)
{
    /// <summary>predict's JSON for <paramref name="file"/> shown as <paramref name="name"/>, without the fields that measure time.</summary>
    private static JsonNode Expected(string file, string name, PredictionOptions? options = null, bool timeline = true)
    {
        var p = ClipNaming.Renamed(AverApi.Model.Value.Predict(file, options ?? new PredictionOptions()), file, name);
        return WithoutTimes(PredictionJson.Clip(p, null, timeline));
    }

    private static JsonNode WithoutTimes(JsonNode clip)
    {
        clip.AsObject().Remove("elapsedSeconds");
        return clip;
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public async Task A_real_clip_is_answered_with_predicts_json()
    {
        var answer = await Upload.Multipart(api.CreateClient(), File.ReadAllBytes(Clips.SharedVideo), "interview.mp4");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var body = JsonNode.Parse(answer.Body.GetRawText())!.AsObject();
        Assert.Equal(AverApi.Model.Value.Description, (string?)body["model"]);
        Assert.Equal(7, body["labels"]!.AsArray().Count);
        Assert.Equal(0, (int)body["failed"]!);
        Assert.Single(body["clips"]!.AsArray());
        Assert.Equal(Expected(Clips.SharedVideo, "interview.mp4").ToJsonString(), WithoutTimes(body["clips"]![0]!.DeepClone()).ToJsonString());
        Assert.Equal(["audio", "visual"], answer.Clip.GetProperty("branches").EnumerateArray().Select(b => b.GetProperty("status").GetString() == "used" ? b.GetProperty("name").GetString() : null));
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public async Task Audio_only_is_answered_by_the_audio_branch_and_the_query_options_apply()
    {
        var wav = File.ReadAllBytes(Clips.SharedSpeech);
        var answer = await Upload.Raw(api.CreateClient(), wav, "audio/wav");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("upload", answer.Clip.GetProperty("file").GetString());
        Assert.Equal(Expected(Clips.SharedSpeech, "upload").ToJsonString(), WithoutTimes(JsonNode.Parse(answer.Clip.GetRawText())!).ToJsonString());
        Assert.Equal("nostream", answer.Clip.GetProperty("branches")[1].GetProperty("status").GetString());

        var brief = await Upload.Multipart(api.CreateClient(), wav, "speech.wav", "?only=audio&timeline=false");
        Assert.Equal(HttpStatusCode.OK, brief.Status);
        Assert.False(brief.Clip.TryGetProperty("timeline", out _));
        Assert.Single(brief.Clip.GetProperty("branches").EnumerateArray());
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public async Task A_photo_is_answered_as_predict_answers_it()
    {
        // A photo is answered as `aver predict photo.jpg` answers it: by the visual branch alone.
        var name = Path.GetFileName(Clips.SharedPhoto);
        var direct = ClipNaming.Renamed(AverApi.Model.Value.Predict(Clips.SharedPhoto, new PredictionOptions()), Clips.SharedPhoto, name);
        var answer = await Upload.Multipart(api.CreateClient(), File.ReadAllBytes(Clips.SharedPhoto), name);
        Assert.Null(PredictionJson.Unanswered(name, direct));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(direct.Label!.Value.Name, answer.Clip.GetProperty("label").GetString());
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [FactRequires(Need.BlazeFace)]
    public async Task The_model_health_and_openapi_documents_describe_the_server()
    {
        var client = api.CreateClient();
        var model = JsonDocument.Parse(await client.GetStringAsync("/v1/model")).RootElement;
        Assert.Equal(AverApi.Model.Value.Labels.Names, model.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!));
        Assert.Equal(["audio", "visual"], model.GetProperty("branches").EnumerateArray().Select(b => b.GetProperty("name").GetString()!).Order());
        Assert.Equal(["audio-cnn", "resnet18"], model.GetProperty("branches").EnumerateArray().Select(b => b.GetProperty("architecture").GetString()!).Order());
        Assert.Equal("decision-fusion", model.GetProperty("format").GetString());
        Assert.False(string.IsNullOrEmpty(model.GetProperty("formatVersion").GetString()));
        Assert.Contains("fusion", model.GetProperty("card").GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        var paths = JsonDocument.Parse(await client.GetStringAsync("/openapi.json")).RootElement.GetProperty("paths");
        // Every route the server maps (the page's own scripts and styles aside) is documented, and nothing else is.
        var routes = api.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => r is not ("/app.js" or "/app.css")).Distinct().Order().ToArray();
        Assert.Contains("/v1/live", routes);
        Assert.Equal(routes, paths.EnumerateObject().Select(p => p.Name).Order().ToArray());

        var page = await client.GetStringAsync("/");
        Assert.Contains("<script src=\"app.js\">", page);
        Assert.DoesNotContain("https://", page);   // nothing from a CDN
        Assert.Contains("MediaRecorder", await client.GetStringAsync("/app.js"));
    }
}
