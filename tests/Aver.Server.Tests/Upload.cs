using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Aver.Server.Tests;

/// <summary>Requests to /v1/predict and what came back.</summary>
internal static class Upload
{
    public sealed record Answer(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)
    {
        public string Error => Body.GetProperty("error").GetString()!;
        public JsonElement Clip => Body.GetProperty("clips")[0];
    }

    /// <summary>Posts <paramref name="bytes"/> as the multipart field 'file' named <paramref name="name"/>.</summary>
    public static Task<Answer> Multipart(HttpClient client, byte[] bytes, string name, string query = "")
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        return Send(client, form, query);
    }

    /// <summary>Posts <paramref name="bytes"/> as the raw body with <paramref name="contentType"/>.</summary>
    public static Task<Answer> Raw(HttpClient client, byte[] bytes, string? contentType, string query = "")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Send(client, content, query);
    }

    public static async Task<Answer> Send(HttpClient client, HttpContent content, string query = "")
    {
        var response = await client.PostAsync("/v1/predict" + query, content);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }
}
