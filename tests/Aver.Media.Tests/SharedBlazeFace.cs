namespace Aver.Media.Tests;

/// <summary>One BlazeFace instance for all tests (loading parses the 440 KB model).</summary>
internal static class SharedBlazeFace
{
    private static readonly Lazy<BlazeFace> Model = new(() => BlazeFace.Load());
    public static BlazeFace Instance => Model.Value;
}
