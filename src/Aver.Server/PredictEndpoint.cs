using Aver.Inference;

namespace Aver.Server;

/// <summary>
/// <c>POST /v1/predict</c>: receive the upload, recognise it by probing, queue it for a worker, answer with exactly
/// the JSON of <c>aver predict --json</c> for that one clip, or with <c>{"error", "status"}</c> and the CLI's message.
/// </summary>
public sealed class PredictEndpoint(IClipModel model, PredictionWorkers workers, UploadReceiver receiver, ServerOptions options)
{
    private const int ClientClosedRequest = 499;

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            var predictionOptions = Query.Options(http.Request.Query, out bool timeline);
            // Refuse before reading the body: a full queue should not cost the server a 200 MB upload.
            if (workers.IsFull) throw Busy();
            var (upload, name) = await receiver.ReceiveAsync(http.Request, http.RequestAborted);
            RequestLog.Note(http, bytes: upload.Length);
            string tempPath;
            Task<ClipPrediction>? answer;
            using (var owned = new Ownership(upload))
            {
                var info = MediaCheck.Probe(upload, name);
                RequestLog.Note(http, mediaSeconds: info.Duration);
                tempPath = upload.FilePath;
                answer = workers.TryEnqueue(owned.Release(), predictionOptions, http.RequestAborted);
            }
            if (answer is null) throw Busy();
            var clip = ClipNaming.Renamed(await Wait(answer, tempPath, name, http.RequestAborted), tempPath, name);
            RequestLog.Note(http, mediaSeconds: clip.Duration);
            if (PredictionJson.Unanswered(name, clip) is { } unanswered) throw new ApiError(StatusCodes.Status422UnprocessableEntity, unanswered);
            var document = PredictionJson.Document(model, [PredictionJson.Clip(clip, null, timeline)], 0, clip.Duration, clip.ElapsedSeconds, null);
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(document.ToJsonString(PredictionJson.Indented), http.RequestAborted);
        }
        catch (ApiError e) { await e.WriteAsync(http); }
        catch (BadHttpRequestException e) { await new ApiError(e.StatusCode, e.Message).WriteAsync(http); }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (while uploading or waiting): nobody to answer. 499 is nginx's code for it, kept for the log line.
            http.Response.StatusCode = ClientClosedRequest;
        }
    }

    /// <summary>The worker's answer, within the request timeout; a clip the model cannot use is a 422 with the CLI's message.</summary>
    private async Task<ClipPrediction> Wait(Task<ClipPrediction> answer, string tempPath, string name, CancellationToken aborted)
    {
        try { return await answer.WaitAsync(options.RequestTimeout, aborted); }
        catch (TimeoutException)
        { throw new ApiError(StatusCodes.Status504GatewayTimeout, $"the clip was not answered within {options.RequestTimeout.TotalSeconds:0} s (queue and analysis)"); }
        catch (Exception e) when (InputErrors.IsInputProblem(e))
        { throw new ApiError(StatusCodes.Status422UnprocessableEntity, ClipNaming.Shown(e.Message, tempPath, name)); }
    }

    private ApiError Busy() =>
        new(StatusCodes.Status503ServiceUnavailable, $"the server is busy ({workers.Capacity} clips running or queued); try again later", workers.RetryAfter);

    /// <summary>Deletes the upload unless it was handed over to a worker.</summary>
    private sealed class Ownership(TempUpload upload) : IDisposable
    {
        private TempUpload? _upload = upload;
        public TempUpload Release() { var u = _upload!; _upload = null; return u; }
        public void Dispose() => _upload?.Dispose();
    }
}
