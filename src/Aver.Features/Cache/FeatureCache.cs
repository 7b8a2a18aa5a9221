using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aver.Features.Avef;
using Aver.Features.Mrpn;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Features.Cache;

/// <summary>
/// An on-disk cache of clip features, so repeated experiments do not recompute them. An entry is a
/// safetensors file named by the SHA-256 of (format version, feature kind, the source file's content
/// hash, every parameter): editing the file or changing any option misses the cache, moving or renaming
/// the file does not. Entries are written to a temporary name and renamed into place, so a run killed
/// mid-write leaves no partial entry, and two runs sharing the folder at most compute the same entry
/// twice, the later rename replacing an identical file. An entry that fails to parse is recomputed.
/// </summary>
public sealed class FeatureCache
{
    /// <summary>Bump when a front end's output changes for the same parameters, to orphan old entries.</summary>
    public const int FormatVersion = 1;

    public string Directory { get; }

    public FeatureCache(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new ArgumentException("FeatureCache: the folder must be given", nameof(directory));
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>Hits since this instance was made (for reports and tests).</summary>
    public int Hits { get; private set; }
    /// <summary>Misses (computed entries) since this instance was made.</summary>
    public int Misses { get; private set; }

    /// <summary>MRPN segments of the clip at <paramref name="path"/> (decoded by <paramref name="read"/>, default <see cref="MediaDecoder.ReadAudio"/>).</summary>
    public MrpnAudioSegments Mrpn(string path, MrpnAudioOptions? options = null, Func<string, AudioBuffer>? read = null)
    {
        var o = options ?? new MrpnAudioOptions();
        var entry = GetOrCompute(path, "mrpn", o.ToString(), () =>
        {
            var s = MrpnAudio.Compute(Read(path, read), o);
            return (new() { ["spectrograms"] = s.Spectrograms }, new() { ["times"] = FormatTimes(s.Times) });
        });
        return new MrpnAudioSegments(entry.Tensors["spectrograms"], ParseTimes(entry.Metadata["times"]));
    }

    /// <summary>AVEF segments of the clip at <paramref name="path"/>.</summary>
    public AvefAudioSegments Avef(string path, AvefAudioOptions? options = null, Func<string, AudioBuffer>? read = null)
    {
        var o = options ?? new AvefAudioOptions();
        var entry = GetOrCompute(path, "avef", o.ToString(), () =>
        {
            var s = AvefAudio.Compute(Read(path, read), o);
            return (new() { ["stacks"] = s.Stacks }, new()
            {
                ["times"] = FormatTimes(s.Times),
                ["first_frames"] = string.Join(",", s.FirstFrames.Select(f => f.ToString(CultureInfo.InvariantCulture))),
            });
        });
        var first = entry.Metadata["first_frames"].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new AvefAudioSegments(entry.Tensors["stacks"], first, ParseTimes(entry.Metadata["times"]));
    }

    /// <summary>Per-frame VAD decisions of the clip at <paramref name="path"/> (AVEF framing).</summary>
    public byte[] Vad(string path, SohnVadOptions? options = null, AvefAudioOptions? framing = null, Func<string, AudioBuffer>? read = null)
    {
        var o = options ?? new SohnVadOptions();
        var f = framing ?? new AvefAudioOptions();
        var entry = GetOrCompute(path, "vad", o + "|" + f, () =>
        {
            var d = SohnVad.Detect(Read(path, read), o, f);
            return (new() { ["decisions"] = new Tensor(d.Select(v => (float)v).ToArray(), d.Length) }, new());
        });
        return entry.Tensors["decisions"].Data.Select(v => (byte)v).ToArray();
    }

    /// <summary>
    /// The entry for (<paramref name="kind"/>, the content of <paramref name="sourcePath"/>, <paramref name="parameters"/>):
    /// loaded when present and readable, otherwise computed by <paramref name="compute"/> and stored.
    /// </summary>
    public SafeTensorsFile GetOrCompute(string sourcePath, string kind, string parameters,
        Func<(Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata)> compute)
    {
        string key = Key(kind, ContentHash(sourcePath), parameters);
        string file = EntryPath(kind, key);
        if (File.Exists(file))
        {
            try
            {
                var hit = SafeTensors.Load(file);
                if (hit.Metadata.TryGetValue("key", out var stored) && stored == key) { Hits++; return hit; }
            }
            catch (SafeTensorsException) { } // corrupt or foreign file: recompute and replace it
        }
        Misses++;
        var (tensors, metadata) = compute();
        metadata["key"] = key;
        metadata["kind"] = kind;
        metadata["source"] = Path.GetFileName(sourcePath);
        metadata["parameters"] = parameters;
        SafeTensors.Save(file, tensors, metadata);
        return new SafeTensorsFile(tensors, metadata);
    }

    /// <summary>Where the entry for <paramref name="key"/> lives: &lt;folder&gt;/&lt;kind&gt;/&lt;key[0..2]&gt;/&lt;key&gt;.safetensors.</summary>
    public string EntryPath(string kind, string key) => Path.Combine(Directory, kind, key[..2], key + ".safetensors");

    /// <summary>The cache key: hex SHA-256 of the format version, kind, content hash and parameters.</summary>
    public static string Key(string kind, string contentHash, string parameters) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"aver-features/{FormatVersion}\n{kind}\n{contentHash}\n{parameters}")));

    /// <summary>Hex SHA-256 of the file's bytes.</summary>
    public static string ContentHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static AudioBuffer Read(string path, Func<string, AudioBuffer>? read) => (read ?? (p => MediaDecoder.ReadAudio(p)))(path);

    private static string FormatTimes(TimeInterval[] times) =>
        string.Join(";", times.Select(t => t.Start.ToString("R", CultureInfo.InvariantCulture) + "," + t.End.ToString("R", CultureInfo.InvariantCulture)));

    private static TimeInterval[] ParseTimes(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var parts = p.Split(',');
            return new TimeInterval(double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }).ToArray();
}
