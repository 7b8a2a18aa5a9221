namespace Aver.Media.Tests;

/// <summary>The shared real clips: RAVDESS audio-video mp4s and CREMA-D flv/mp3 files.</summary>
internal static class SharedClips
{
    public static string[] RavdessAv => Sorted(TestPaths.Data("ravdess", "av"), "*.mp4");
    public static string[] CremaFlv => Sorted(TestPaths.Data("crema-d"), "*.flv");
    public static string[] CremaMp3 => Sorted(TestPaths.Data("crema-d"), "*.mp3");
    public static string[] AllVideos => [.. RavdessAv, .. CremaFlv];
    public static string[] All => [.. RavdessAv, .. CremaFlv, .. CremaMp3];

    private static string[] Sorted(string dir, string pattern)
    {
        var f = Directory.GetFiles(dir, pattern);
        Array.Sort(f, StringComparer.Ordinal);
        return f;
    }
}
