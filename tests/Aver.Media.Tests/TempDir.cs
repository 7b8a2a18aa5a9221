namespace Aver.Media.Tests;

/// <summary>A scratch folder removed at dispose, plus a helper that runs ffmpeg to make small test inputs.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("aver-media-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Runs ffmpeg with <paramref name="args"/> (after -y -v error); fails the test on a non-zero exit.</summary>
    public static void Ffmpeg(params string[] args) => TestFfmpeg.Run(args);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
