using Aver.Tensors;

namespace Aver.Cli;

/// <summary>
/// Writes the details of an internal error (command, arguments, version, full exception) to
/// ~/.aver/logs (or the temp folder when home is not writable), so the console shows one line.
/// </summary>
internal static class CrashLog
{
    /// <summary>The log's path, or null when no folder accepted it.</summary>
    public static string? Write(string command, IEnumerable<string> args, Exception e)
    {
        var text = $"{DateTime.UtcNow:O}\n{BuildInfo.Text}\naver {command} {string.Join(' ', args)}\n\n{e}\n";
        var name = $"aver-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}.log";
        foreach (var dir in Folders())
        {
            try
            {
                Directory.CreateDirectory(dir);
                var path = Path.Combine(dir, name);
                File.WriteAllText(path, text);
                return path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        return null;
    }

    /// <summary>The first line of a message (some exceptions carry several).</summary>
    public static string FirstLine(string message)
    {
        int nl = message.AsSpan().IndexOfAny('\r', '\n');
        return nl < 0 ? message : message[..nl];
    }

    private static IEnumerable<string> Folders()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home)) yield return Path.Combine(home, ".aver", "logs");
        yield return Path.Combine(Path.GetTempPath(), "aver-logs");
    }
}
