using Aver.Inference.AudioCnn;
using Aver.Inference.Avef;
using Aver.Inference.Fusion;
using Aver.Inference.Mrpn;
using Aver.Media;
using Aver.Tensors.IO;

namespace Aver.Inference;

/// <summary>
/// Opens a model for <c>aver predict</c>: a safetensors file, or a folder holding one (like <c>models/default/</c>).
/// The file's <c>format</c> metadata picks the reader; <see cref="DecisionFusionBundle"/>, <see cref="AvefBundle"/>,
/// <see cref="MrpnBundle"/> and <see cref="AudioCnnClipModel"/> are built in, and other formats join through <see cref="Register"/>.
/// </summary>
public static class ModelLoader
{
    /// <summary>The folder of the shipped default model, relative to the repository root.</summary>
    public const string DefaultFolder = "models/default";

    /// <summary>The environment variable that names another default model.</summary>
    public const string EnvironmentVariable = "AVER_MODEL";

    /// <summary>Builds a model from a loaded file; <c>source</c> is its path for messages; the tracker factory is shared face detection.</summary>
    public delegate IClipModel Reader(SafeTensorsFile file, string source, Func<FaceTracker> tracker);

    private static readonly Dictionary<string, Reader> Readers = new(StringComparer.Ordinal)
    {
        [DecisionFusionBundle.Format] = (file, source, tracker) => DecisionFusionBundle.Load(file, source, tracker),
        [DecisionFusionBundle.V1Format] = (file, source, tracker) => DecisionFusionBundle.Load(file, source, tracker),
        [AvefBundle.Format] = (file, source, tracker) => AvefClipModel.Load(file, source, tracker),
        [MrpnBundle.Format] = (file, source, tracker) => MrpnClipModel.Load(file, source, tracker),
        [AudioCnnClipModel.Format] = (file, source, _) => AudioCnnClipModel.Load(file, source),
    };

    /// <summary>Adds (or replaces) the reader of files whose metadata says <c>format</c> = <paramref name="format"/>.</summary>
    public static void Register(string format, Reader reader)
    {
        lock (Readers) Readers[format] = reader;
    }

    /// <summary>The formats this build reads.</summary>
    public static IReadOnlyList<string> Formats { get { lock (Readers) return Readers.Keys.Order(StringComparer.Ordinal).ToList(); } }

    /// <summary>
    /// Loads <paramref name="path"/> (a file, or a folder with exactly one .safetensors, preferring model.safetensors, then a file
    /// named after a format, like the mrpn.safetensors beside a fold's best.safetensors and checkpoint).
    /// <paramref name="tracker"/> makes the face tracker on first use; by default BlazeFace from setup.sh's third_party/.
    /// </summary>
    public static IClipModel Load(string path, Func<FaceTracker>? tracker = null)
    {
        var file = Resolve(path);
        SafeTensorsFile content;
        try { content = SafeTensors.Load(file); }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException)
        { throw new InvalidDataException($"{file}: not a readable safetensors model file ({e.Message})", e); }
        FiniteWeights.Check(content, file);
        if (!content.Metadata.TryGetValue("format", out var format))
            throw new InvalidDataException($"{file}: has no 'format' in its metadata, so it is not an Aver model bundle (a bare checkpoint such as aver pretrain's output is one branch, not a model; formats read: {string.Join(", ", Formats)})");
        Reader? reader;
        lock (Readers) Readers.TryGetValue(format, out reader);
        if (reader is null) throw new InvalidDataException($"{file}: model format '{format}' is not one this build reads ({string.Join(", ", Formats)})");
        return reader(content, file, tracker ?? DefaultTracker);
    }

    /// <summary>The default model's folder: $AVER_MODEL, else models/default under the current folder, the program's folder, or a parent of either.</summary>
    public static string FindDefault()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env) return env;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultFolder);
                if (Directory.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException($"the default model ({DefaultFolder}/ of the repository) was not found; give --model PATH or set {EnvironmentVariable}");
    }

    private static FaceTracker DefaultTracker() =>
        new(BlazeFace.Load(new BlazeFaceOptions()), new FaceTrackerOptions());

    /// <summary>The model file <paramref name="path"/> names: the file itself, or the one <see cref="Load"/> picks in a folder.</summary>
    public static string Resolve(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path}: model file or folder not found");
        var candidates = Directory.GetFiles(path, "*.safetensors").Order(StringComparer.Ordinal).ToArray();
        var preferred = candidates.FirstOrDefault(f => Path.GetFileName(f) == "model.safetensors");
        if (preferred is not null) return preferred;
        var named = candidates.Where(f => Formats.Contains(Path.GetFileNameWithoutExtension(f))).ToArray();
        if (named.Length == 1) return named[0];
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw new FileNotFoundException($"{path}: the folder holds no .safetensors model"),
            _ => throw new InvalidDataException($"{path}: the folder holds {candidates.Length} .safetensors files and none is model.safetensors " +
                                                $"or a single {string.Join("|", Formats)}.safetensors; name the file"),
        };
    }
}
