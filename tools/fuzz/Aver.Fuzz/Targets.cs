using System.Text;
using Aver.Data;
using Aver.Data.Io;
using Aver.Media;
using Aver.Tensors.IO;
using Aver.Tensors.Onnx;
using Aver.Training.Config;

namespace Aver.Fuzz;

/// <summary>
/// One harness per parser that reads files users hand to Aver. Each feeds the fuzzer's bytes to the parser and
/// swallows only the typed exception the parser documents for bad input; anything else escapes, and AFL
/// records it as a crash.
/// </summary>
internal static class Targets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["wav"] = Wav,
        ["safetensors"] = SafeTensorsFile,
        ["onnx"] = Onnx,
        ["yaml"] = Yaml,
        ["csv"] = CsvFile,
        ["mp4"] = Mp4,
        ["image"] = Image,
    };

    /// <summary>A scratch file for parsers that take a path (in memory, under /dev/shm when it exists).</summary>
    private static readonly string Scratch = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"aver-fuzz-{Environment.ProcessId}.bin");

    private static string AsFile(byte[] data)
    {
        File.WriteAllBytes(Scratch, data);
        return Scratch;
    }

    private static void Wav(byte[] data)
    {
        try { Aver.Media.WavStreamReader.ReadMono(new MemoryStream(data, writable: false), "fuzz.wav"); }
        catch (MediaException) { }
        try { Aver.Media.Wav.Read(AsFile(data)); }
        catch (MediaException) { }
    }

    private static void SafeTensorsFile(byte[] data)
    {
        try { SafeTensors.Parse(data, "fuzz.safetensors"); }
        catch (SafeTensorsException) { }
    }

    private static void Onnx(byte[] data)
    {
        try { OnnxProtoReader.ReadFile(AsFile(data)); }
        catch (OnnxException) { }
    }

    private static void Yaml(byte[] data)
    {
        try
        {
            var config = ExperimentConfigLoader.Parse(Encoding.UTF8.GetString(data), "fuzz.yaml");
            ExperimentConfigValidator.Validate(config);
        }
        catch (ConfigException) { }
    }

    private static void CsvFile(byte[] data)
    {
        try { CsvTable.Read(AsFile(data)); }
        catch (DatasetException) { }
    }

    private static void Mp4(byte[] data)
    {
        try { IsoBmffCheck.ThrowIfTruncated(AsFile(data)); }
        catch (MediaException) { }
    }

    private static void Image(byte[] data)
    {
        ImageHeader.TryRead(AsFile(data));
        try
        {
            using var s = new MemoryStream(data, writable: false);
            while (PamReader.ReadNext(s, "fuzz.pam") is not null) { }
        }
        catch (MediaException) { }
    }
}
