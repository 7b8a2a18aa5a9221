using System.Globalization;
using System.Text;

namespace Aver.Server;

/// <summary>How an upload is named in answers and messages: only the last part of the client's file name, in safe characters. It is shown, never used as a path.</summary>
public static class UploadName
{
    private const int MaxLength = 100;

    /// <summary>The client's file name reduced to its last path part, letters, digits and <c>._- </c>; <see cref="UploadReceiver.RawName"/> when nothing is left.</summary>
    public static string Display(string? clientName)
    {
        if (string.IsNullOrWhiteSpace(clientName)) return UploadReceiver.RawName;
        var last = clientName.Trim('"').Replace('\\', '/');
        last = last[(last.LastIndexOf('/') + 1)..];
        var sb = new StringBuilder();
        foreach (var ch in last)
            if (char.IsLetterOrDigit(ch) || ch is '.' or '_' or '-' or ' ') sb.Append(ch);
        var name = sb.ToString().Trim().TrimStart('.');
        if (name.Length > MaxLength) name = name[^MaxLength..];
        return name.Length == 0 ? UploadReceiver.RawName : name;
    }

    /// <summary>A byte count for people: 200 MB, 1.5 kB.</summary>
    public static string Size(long bytes) =>
        bytes >= 1000_000 ? (bytes / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : bytes >= 1000 ? (bytes / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " kB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
}
