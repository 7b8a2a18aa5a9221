using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Aver.Inference;
using Aver.Inference.Fusion;
using Aver.Inference.Live;
using Aver.Media;

namespace Aver.Server;

/// <summary>
/// <c>GET /v1/live</c>, a WebSocket: the client sends its media as binary messages as it records them (WebM from the
/// browser's MediaRecorder, or any container ffmpeg reads as a stream) and the text message <c>end</c> when it stops;
/// the server answers each timeline window as a text message as soon as it is answered (the objects of
/// <c>aver live --json</c>), then the summary of the whole stream, then closes. The same <see cref="LiveSession"/>
/// as the CLI's, over the same decoder. At most as many streams at once as the server has workers.
/// </summary>
public sealed class LiveEndpoint(IClipModel model, ServerOptions options)
{
    private int _sessions;

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            if (!http.WebSockets.IsWebSocketRequest) throw new ApiError(StatusCodes.Status400BadRequest, "/v1/live is a WebSocket: open it with ws://");
            if (model is not DecisionFusionModel fusion)
                throw new ApiError(StatusCodes.Status501NotImplemented, "this server's model answers whole clips only (POST /v1/predict)");
            var settings = new LiveOptions { Only = Query.Options(http.Request.Query, out _).Only };
            var session = new LiveSession(fusion, settings);
            if (Interlocked.Increment(ref _sessions) > options.Workers)
            {
                Interlocked.Decrement(ref _sessions);
                throw new ApiError(StatusCodes.Status503ServiceUnavailable, $"{options.Workers} live streams are running already", TimeSpan.FromSeconds(10));
            }
            try
            {
                using var socket = await http.WebSockets.AcceptWebSocketAsync();
                await RunAsync(socket, session, http.RequestAborted);
            }
            finally { Interlocked.Decrement(ref _sessions); }
        }
        catch (ApiError e) { await e.WriteAsync(http); }
    }

    private static async Task RunAsync(WebSocket socket, LiveSession session, CancellationToken aborted)
    {
        var media = new Pipe();
        var answers = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receive = ReceiveAsync(socket, media.Writer, stop.Token);
        var answer = Task.Run(() =>
        {
            try
            {
                using var stream = LiveDecoder.Open(LiveSource.FromStream(media.Reader.AsStream(), "live"), session.Decoding);
                var summary = session.Run(stream, w => answers.Writer.TryWrite(LiveJson.Window(w).ToJsonString()), stop.Token);
                answers.Writer.TryWrite(LiveJson.Summary(summary).ToJsonString());
            }
            catch (MediaException e) { answers.Writer.TryWrite(new System.Text.Json.Nodes.JsonObject { ["error"] = e.Message }.ToJsonString()); }
            finally
            {
                answers.Writer.TryComplete();
                media.Reader.Complete();
            }
        }, CancellationToken.None);   // the session ends by stop.Token; the task must run to close the channels
        try
        {
            await foreach (var text in answers.Reader.ReadAllAsync(aborted))
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, aborted);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", aborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }   // the client has gone
        finally
        {
            stop.Cancel();
            await answer;
            try { await receive; } catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
    }

    /// <summary>Binary messages into the media pipe until the text message "end", a close, or the client going away.</summary>
    private static async Task ReceiveAsync(WebSocket socket, PipeWriter media, CancellationToken cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var memory = media.GetMemory(1 << 16);
                var result = await socket.ReceiveAsync(memory, cancel);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    if (result.EndOfMessage) break;   // "end": the client stopped recording
                    continue;
                }
                media.Advance(result.Count);
                var flushed = await media.FlushAsync(cancel);
                if (flushed.IsCompleted) break;   // the decoder has stopped reading
            }
        }
        finally { await media.CompleteAsync(); }
    }
}
