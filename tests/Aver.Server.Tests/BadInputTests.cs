using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Aver.Server.Tests;

/// <summary>Uploads the server must refuse, each with its status and the CLI's one-line message, and nothing left on disk.</summary>
[Collection(ServerCollection.Name)]
public class BadInputTests(AverApi api)
{
    [Fact]
    public async Task An_empty_body_is_a_400_with_the_clis_message()
    {
        var answer = await Upload.Raw(api.CreateClient(), [], "application/octet-stream");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("upload: file is empty (zero bytes)", answer.Error);
        Assert.Equal(400, answer.Body.GetProperty("status").GetInt32());
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [Fact]
    public async Task Text_renamed_mp4_is_recognised_by_its_content_as_not_media()
    {
        var answer = await Upload.Multipart(api.CreateClient(), Encoding.UTF8.GetBytes("these are my notes, not a video\n"), "notes.mp4");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.StartsWith("notes.mp4: not a media file", answer.Error);
        Assert.DoesNotContain(api.TempRoot, answer.Error);   // the server's paths stay on the server
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [Fact]
    public async Task A_truncated_mp4_is_refused_naming_the_truncation()
    {
        var mp4 = Clips.GeneratedMp4();
        var answer = await Upload.Multipart(api.CreateClient(), mp4[..(mp4.Length / 2)], "cut.mp4");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.StartsWith("cut.mp4: truncated MP4/MOV", answer.Error);
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_a_413_whether_or_not_its_length_is_announced()
    {
        var big = new byte[AverApi.MaxUpload + 1];
        var announced = await Upload.Raw(api.CreateClient(), big, "video/mp4");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.Status);
        Assert.Contains("larger than this server's limit of 8 MB", announced.Error);

        // Chunked, so the size is only found while streaming it to disk.
        var streamed = new StreamContent(new UnannouncedStream(big));
        streamed.Headers.ContentType = MediaTypeHeaderValue.Parse("application/octet-stream");
        var answer = await Upload.Send(api.CreateClient(), streamed);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);

        var form = new MultipartFormDataContent { { new StreamContent(new UnannouncedStream(big)), "file", "big.mp4" } };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Upload.Send(api.CreateClient(), form)).Status);
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData("multipart/mixed; boundary=x")]
    public async Task A_content_type_that_is_not_media_or_a_form_is_a_415(string contentType)
    {
        var answer = await Upload.Raw(api.CreateClient(), Clips.Tone(), contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.Contains($"Content-Type {contentType} is not accepted", answer.Error);
    }

    [Fact]
    public async Task A_form_without_a_file_field_and_bad_query_values_are_400s()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(Clips.Tone()), "clip", "tone.wav" } };
        var noField = await Upload.Send(api.CreateClient(), form);
        Assert.Equal(HttpStatusCode.BadRequest, noField.Status);
        Assert.Equal("the multipart/form-data body has no 'file' field", noField.Error);

        var only = await Upload.Raw(api.CreateClient(), Clips.Tone(), "audio/wav", "?only=smell");
        Assert.Equal(HttpStatusCode.BadRequest, only.Status);
        Assert.Equal("only takes audio or visual, got 'smell'", only.Error);
        Assert.Equal(0, api.UploadsOnDisk);
    }

    [Fact]
    public async Task Each_request_leaves_one_structured_log_line()
    {
        var answer = await Upload.Multipart(api.CreateClient(), Encoding.UTF8.GetBytes("not media"), "x.mp4");
        var id = answer.Response.Headers.GetValues("X-Request-Id").Single();
        var line = api.Log.ToString().Split('\n').Single(l => l.Contains($"\"id\":\"{id}\""));
        var entry = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal(415, entry.GetProperty("status").GetInt32());
        Assert.Equal("/v1/predict", entry.GetProperty("path").GetString());
        Assert.Equal(9, entry.GetProperty("bytes").GetInt64());
        Assert.True(entry.GetProperty("ms").GetDouble() >= 0);
        Assert.True(entry.TryGetProperty("mediaSeconds", out _));
    }

    /// <summary>A stream that does not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnannouncedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
