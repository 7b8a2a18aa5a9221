using System.Reflection;

namespace Aver.Tensors;

/// <summary>
/// Aver's version and the git commit it was built from. The SDK's source-link step writes
/// "VERSION+COMMIT" into the informational version when the build runs in a git checkout; without git
/// the commit is "unknown".
/// </summary>
public static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The version, without the commit.</summary>
    public static string Version => Informational.Split('+')[0];

    /// <summary>The short (12-character) commit hash, or "unknown".</summary>
    public static string Commit => Informational.Split('+') is [_, var c, ..] && c.Length > 0 ? c[..Math.Min(12, c.Length)] : "unknown";

    /// <summary>"aver VERSION (commit C)".</summary>
    public static string Text => $"aver {Version} (commit {Commit})";
}
