using System.Globalization;

namespace Aver.Training.Recipes;

/// <summary>
/// <c>BUNDLE#branch.N</c>: network N of a default-model bundle's branch (<c>visual</c>, <c>audio</c>), as
/// <c>aver build-model --visual</c> and <c>--audio-from</c> take it and <c>tools/fer-ensemble</c> prints it.
/// </summary>
internal static class BundleMemberName
{
    /// <summary>The name of network <paramref name="index"/> of <paramref name="bundle"/>'s <paramref name="branch"/>.</summary>
    public static string Of(string bundle, string branch, int index) => $"{bundle}#{branch}.{index}";

    /// <summary>The bundle <paramref name="name"/> names and the text of its N; without the suffix, the name itself and null.</summary>
    public static (string Bundle, string? Index) Split(string name, string branch)
    {
        string suffix = $"#{branch}.";
        int at = name.LastIndexOf(suffix, StringComparison.Ordinal);
        return at < 0 ? (name, null) : (name[..at], name[(at + suffix.Length)..]);
    }

    /// <summary>N of <paramref name="name"/> (its text from <see cref="Split"/>) among the branch's <paramref name="count"/> networks; anything else is an error naming it.</summary>
    public static int Index(string name, string index, string branch, int count) =>
        int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < count ? i
            : throw new InvalidDataException($"{name}: the bundle's {branch} branch has {count} network(s), #{branch}.0 to #{branch}.{count - 1}");
}
