using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Aver.Server;

/// <summary>
/// Streams a request's media into a <see cref="TempUpload"/>: the <c>file</c> field of a multipart/form-data body,
/// or the raw body. Nothing is held in memory beyond a copy buffer; the size limit is enforced while copying.
/// </summary>
public sealed class UploadReceiver(UploadFolder folder, long maxBytes)
{
    /// <summary>The multipart field that carries the clip.</summary>
    public const string Field = "file";

    /// <summary>The name shown for a raw body (no file name was sent).</summary>
    public const string RawName = "upload";

    /// <summary>The received file (owned by the caller, who must dispose it) and the name to show for it.</summary>
    public async Task<(TempUpload Upload, string Name)> ReceiveAsync(HttpRequest request, CancellationToken cancel)
    {
        if (request.ContentLength > maxBytes) throw TooLarge();
        var contentType = request.ContentType;
        if (contentType is not null && contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            if (!contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
                throw new ApiError(StatusCodes.Status415UnsupportedMediaType, $"Content-Type {contentType} is not accepted: send multipart/form-data with a '{Field}' field, or the media itself as the body");
            return await ReceiveMultipartAsync(request, contentType, cancel);
        }
        if (!IsRawMediaType(contentType))
            throw new ApiError(StatusCodes.Status415UnsupportedMediaType, $"Content-Type {contentType} is not accepted: send multipart/form-data with a '{Field}' field, or the media itself as the body (application/octet-stream, audio/*, video/*, image/*)");
        return (await CopyAsync(request.Body, cancel), RawName);
    }

    /// <summary>Raw bodies are media bytes: declared as such, or undeclared. Text, JSON and forms are a client's mistake.</summary>
    private static bool IsRawMediaType(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || contentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
        || contentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase);

    private async Task<(TempUpload, string)> ReceiveMultipartAsync(HttpRequest request, string contentType, CancellationToken cancel)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) throw new ApiError(StatusCodes.Status400BadRequest, "the multipart/form-data body has no boundary");
        // The copy below enforces the limit exactly; the reader's own limit only stops a section that never ends.
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = maxBytes + (1 << 20) };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(cancel); section is not null; section = await reader.ReadNextSectionAsync(cancel))
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value?.Trim('"') != Field)
                    continue;   // other fields are ignored (and drained by the reader)
                var name = UploadName.Display(disposition.FileNameStar.Value ?? disposition.FileName.Value);
                return (await CopyAsync(section.Body, cancel), name);
            }
        }
        catch (InvalidDataException e) { throw new ApiError(StatusCodes.Status400BadRequest, $"the multipart/form-data body is malformed: {e.Message}"); }
        catch (IOException e) when (!cancel.IsCancellationRequested && e.GetType() == typeof(IOException))
        { throw new ApiError(StatusCodes.Status400BadRequest, $"the multipart/form-data body is malformed: {e.Message}"); }
        throw new ApiError(StatusCodes.Status400BadRequest, $"the multipart/form-data body has no '{Field}' field");
    }

    private async Task<TempUpload> CopyAsync(Stream body, CancellationToken cancel)
    {
        var upload = folder.Create();
        try
        {
            await using var file = new FileStream(upload.FilePath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            for (int n; (n = await body.ReadAsync(buffer, cancel)) > 0;)
            {
                upload.Length += n;
                if (upload.Length > maxBytes) throw TooLarge();
                await file.WriteAsync(buffer.AsMemory(0, n), cancel);
            }
            return upload;
        }
        catch
        {
            upload.Dispose();
            throw;
        }
    }

    private ApiError TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"the upload is larger than this server's limit of {UploadName.Size(maxBytes)} (aver serve --max-upload)");
}
