using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Aver.Server.Tests;

/// <summary>GET /v1/live: a stream sent over a WebSocket is answered window by window, then summarised.</summary>
[Collection(ServerCollection.Name)]
public class LiveApiTests(AverApi api)
{
    /// <summary>Sends <paramref name="media"/> in 16-KB binary messages (as a recorder sends its chunks), then "end"; returns every text message the server sent before closing.</summary>
    private async Task<List<JsonElement>> StreamAsync(byte[] media, string query = "")
    {
        var client = api.Server.CreateWebSocketClient();
        using var socket = await client.ConnectAsync(new Uri(api.Server.BaseAddress, "v1/live" + query) is var u ? new UriBuilder(u) { Scheme = "ws" }.Uri : null!, default);
        var messages = new List<JsonElement>();
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[1 << 16];
            var text = new MemoryStream();
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, default);
                if (r.MessageType == WebSocketMessageType.Close) break;
                text.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                messages.Add(JsonDocument.Parse(text.ToArray()).RootElement.Clone());
                text.SetLength(0);
            }
        });
        for (int at = 0; at < media.Length; at += 16_384)
            await socket.SendAsync(media.AsMemory(at, Math.Min(16_384, media.Length - at)), WebSocketMessageType.Binary, true, default);
        await socket.SendAsync(Encoding.UTF8.GetBytes("end"), WebSocketMessageType.Text, true, default);
        await receive.WaitAsync(TimeSpan.FromSeconds(60));
        return messages;
    }

    [FactRequires(Need.BlazeFace)]
    public async Task A_stream_is_answered_window_by_window_then_summarised()
    {
        var mkv = Path.Combine(api.TempRoot, "live.mkv");
        File.WriteAllBytes(Path.Combine(api.TempRoot, "live.mp4"), Clips.GeneratedMp4(3));
        TestFfmpeg.Run("-i", Path.Combine(api.TempRoot, "live.mp4"), "-c", "copy", "-f", "matroska", mkv);
        var messages = await StreamAsync(File.ReadAllBytes(mkv), "?only=audio");
        var summary = messages[^1];
        Assert.True(summary.TryGetProperty("summary", out var clip), messages[^1].ToString());
        Assert.Equal(messages.Count - 1, summary.GetProperty("windows").GetInt32());
        Assert.True(messages.Count - 1 >= 4, $"{messages.Count - 1} windows for 3 s");
        Assert.All(messages.Take(messages.Count - 1), w => Assert.True(w.TryGetProperty("latency", out _)));
        Assert.Single(clip.GetProperty("branches").EnumerateArray());   // only=audio
        Assert.Equal("live", clip.GetProperty("file").GetString());
    }

    [Fact]
    public async Task Garbage_gets_the_decoders_message_and_a_plain_request_a_400()
    {
        var messages = await StreamAsync("this is not a media stream at all"u8.ToArray());
        Assert.Equal("live: not a media file ffmpeg can read (unrecognised or corrupt data)", messages.Single().GetProperty("error").GetString());
        using var http = api.CreateClient();
        var plain = await http.GetAsync("/v1/live");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync());
    }
}
