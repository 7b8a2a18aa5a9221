using System.Net;
using System.Text.Json;

namespace Aver.Server.Tests;

/// <summary>Many clients at once: every request answered (200 or 503 with Retry-After), none lost, answers identical, nothing left on disk.</summary>
[Collection(ServerCollection.Name)]
public class ConcurrencyTests(AverApi api)
{
    [FactRequires(Need.BlazeFace)]
    public async Task Sixteen_concurrent_requests_are_each_answered_200_or_503()
    {
        var tone = Clips.Tone();
        var client = api.CreateClient();
        var reference = await Upload.Multipart(client, tone, "tone.wav");
        Assert.Equal(HttpStatusCode.OK, reference.Status);
        string Probabilities(Upload.Answer a) => a.Clip.GetProperty("probabilities").GetRawText();

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Upload.Multipart(client, tone, $"tone-{i}.wav"))));

        Assert.Equal(16, answers.Length);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"status {a.Status}"));
        var ok = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
        var busy = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(ok.Count >= 4, $"only {ok.Count} of 16 answered (capacity is 2 workers + 2 queued)");
        Assert.NotEmpty(busy);   // 16 at once cannot fit in 2 workers + 2 queued
        Assert.All(busy, b => Assert.True(int.Parse(b.Response.Headers.GetValues("Retry-After").Single()) >= 1));
        Assert.All(busy, b => Assert.StartsWith("the server is busy", b.Error));
        // The shared model gives every worker the same answer as a request alone.
        Assert.All(ok, a => Assert.Equal(Probabilities(reference), Probabilities(a)));
        Assert.Equal(ok.Select(a => a.Clip.GetProperty("file").GetString()).Order(), ok.Select(a => a.Clip.GetProperty("file").GetString()).Distinct().Order());
        Assert.Equal(0, api.UploadsOnDisk);
    }
}
