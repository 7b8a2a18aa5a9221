using Aver.Media;

namespace Aver.Testing;

/// <summary>What a test needs beyond the repository; a test whose needs are not met is skipped, saying which and how to get it.</summary>
[Flags]
internal enum Need
{
    /// <summary>../shared/data beside the repository (or $AVER_SHARED_DATA): the real corpora.</summary>
    SharedData = 1,
    /// <summary>The BlazeFace face detector (./setup.sh installs it into third_party/).</summary>
    BlazeFace = 2,
    /// <summary>Debian's Chromium, driven by Playwright.</summary>
    Chromium = 4,
    /// <summary>espeak-ng on PATH (aver sample's voice).</summary>
    EspeakNg = 8,
    /// <summary>AVER_FEATURE_THROUGHPUT=1: a measurement, not a check, run only when asked.</summary>
    ThroughputRun = 16,
}

/// <summary>The first unmet need of a test as the skip message, or null when all are met.</summary>
internal static class Requirements
{
    public const string Chromium = "/usr/bin/chromium";

    public static string? Missing(Need needs)
    {
        if (needs.HasFlag(Need.ThroughputRun) && Environment.GetEnvironmentVariable("AVER_FEATURE_THROUGHPUT") != "1")
            return "set AVER_FEATURE_THROUGHPUT=1 to measure";
        if (needs.HasFlag(Need.Chromium) && !File.Exists(Chromium))
            return $"{Chromium} is absent (apt-get install chromium, or ./setup.sh): browser test skipped";
        if (needs.HasFlag(Need.BlazeFace) && BlazeFaceModelFile.Find() is null)
            return $"BlazeFace model absent ({BlazeFaceModelFile.RelativePath}): run ./setup.sh";
        if (needs.HasFlag(Need.EspeakNg) && !(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "espeak-ng"))))
            return "espeak-ng absent: run ./setup.sh";
        if (needs.HasFlag(Need.SharedData) && TestPaths.SharedData is null)
            return "../shared/data is absent (a fresh clone without the shared data): real-data test skipped";
        return null;
    }
}

/// <summary>A fact that runs only where its needs are met: <c>[FactRequires(Need.BlazeFace | Need.SharedData)]</c>.</summary>
internal sealed class FactRequiresAttribute : FactAttribute
{
    public FactRequiresAttribute(Need needs) => Skip = Requirements.Missing(needs);
}

/// <summary>A theory that runs only where its needs are met.</summary>
internal sealed class TheoryRequiresAttribute : TheoryAttribute
{
    public TheoryRequiresAttribute(Need needs) => Skip = Requirements.Missing(needs);
}
