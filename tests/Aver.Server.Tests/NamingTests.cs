namespace Aver.Server.Tests;

/// <summary>Client file names are shown, never used: reduced to a safe last part. Sizes parse as people write them.</summary>
public class NamingTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\clip one.mp4", "clip one.mp4")]
    [InlineData("..", "upload")]
    [InlineData("a\u0000b;rm -rf.wav", "abrm -rf.wav")]
    [InlineData(null, "upload")]
    [InlineData(".hidden.mp4", "hidden.mp4")]
    public void Upload_names_keep_only_a_safe_last_part(string? client, string shown) =>
        Assert.Equal(shown, UploadName.Display(client));

    [Theory]
    [InlineData("200MB", 200_000_000)]
    [InlineData("512kb", 512_000)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1.5M", 1_500_000)]
    [InlineData("4096", 4096)]
    public void Sizes_parse_with_their_units(string text, long bytes) => Assert.Equal(bytes, ServerOptions.ParseSize(text));

    [Theory]
    [InlineData("lots")]
    [InlineData("-5MB")]
    [InlineData("10XB")]
    public void Sizes_that_are_not_sizes_say_so(string text) =>
        Assert.Contains("size", Assert.Throws<FormatException>(() => ServerOptions.ParseSize(text)).Message);

    [Fact]
    public void The_servers_temporary_path_is_replaced_by_the_upload_name_in_messages() =>
        Assert.Equal("clip.mp4: truncated", ClipNaming.Shown("/tmp/aver-serve-1/abc.media: truncated", "/tmp/aver-serve-1/abc.media", "clip.mp4"));
}
