using Aver.Inference;

namespace Aver.Server;

/// <summary>Puts the client's name for an upload where the server's temporary path would show (answers and messages), so no server path leaks.</summary>
public static class ClipNaming
{
    /// <summary><paramref name="message"/> with every mention of <paramref name="path"/> replaced by <paramref name="name"/>.</summary>
    public static string Shown(string message, string path, string name) =>
        message.Replace(Path.GetFullPath(path), name, StringComparison.Ordinal).Replace(path, name, StringComparison.Ordinal);

    /// <summary><paramref name="p"/> as if the clip had been called <paramref name="name"/>.</summary>
    public static ClipPrediction Renamed(ClipPrediction p, string path, string name) => p with
    {
        Path = name,
        Branches = p.Branches.Select(b => b with { Message = b.Message is null ? null : Shown(b.Message, path, name) }).ToList(),
    };
}
