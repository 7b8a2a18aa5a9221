using System.Globalization;

namespace Aver.Server;

/// <summary>How <c>aver serve</c> listens, how much it accepts, and how many clips it analyses at once.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to bind; loopback unless the operator says otherwise (the API has no authentication).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Clips analysed at the same time, each on its own worker thread sharing the one loaded model.</summary>
    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Uploads waiting for a worker; one more is answered 503 with Retry-After instead of piling up.</summary>
    public int QueueLength { get; init; } = 8;

    /// <summary>Largest accepted upload in bytes (413 above it).</summary>
    public long MaxUploadBytes { get; init; } = 200L * 1000 * 1000;

    /// <summary>Longest a request waits for its answer, queueing included (504 after it).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where uploads are written while they are analysed; a private folder under it is made and removed by the server.</summary>
    public string TempRoot { get; init; } = Path.GetTempPath();

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(Port), Port, "port must be in 0..65535");
        if (Workers is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "workers must be in 1..64");
        if (QueueLength is < 0 or > 10000) throw new ArgumentOutOfRangeException(nameof(QueueLength), QueueLength, "queue length must be in 0..10000");
        if (MaxUploadBytes < 1) throw new ArgumentOutOfRangeException(nameof(MaxUploadBytes), MaxUploadBytes, "the upload limit must be positive");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "the request timeout must be positive");
    }

    /// <summary>Parses a size such as <c>200MB</c>, <c>512k</c>, <c>1.5GB</c> or <c>1048576</c> (decimal units; KiB/MiB/GiB binary).</summary>
    public static long ParseSize(string text)
    {
        var s = text.Trim();
        int split = s.Length;
        while (split > 0 && char.IsLetter(s[split - 1])) split--;
        long unit = s[split..].ToUpperInvariant() switch
        {
            "" or "B" => 1, "K" or "KB" => 1000, "M" or "MB" => 1000_000, "G" or "GB" => 1000_000_000,
            "KIB" => 1L << 10, "MIB" => 1L << 20, "GIB" => 1L << 30,
            _ => throw new FormatException($"'{text}' is not a size (examples: 200MB, 512KB, 1GiB)"),
        };
        if (!double.TryParse(s[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || number * unit > long.MaxValue / 2)
            throw new FormatException($"'{text}' is not a positive size (examples: 200MB, 512KB, 1GiB)");
        return (long)(number * unit);
    }
}
