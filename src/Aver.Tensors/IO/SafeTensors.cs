using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Aver.Tensors.IO;

/// <summary>The element types a safetensors file may hold that Aver reads (all become float32 in memory).</summary>
public enum SafeTensorsDType { F32, F16, BF16, F64, I64, I32, U8, BOOL }

/// <summary>The contents of a safetensors file: named tensors and the string metadata.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// mapping names to {dtype, shape, data_offsets} plus an optional <c>__metadata__</c> map of
/// strings, then the raw little-endian data. Files round-trip with PyTorch.
/// </summary>
public static class SafeTensors
{
    private const long MaxHeader = 100_000_000;

    /// <summary>Writes <paramref name="tensors"/> atomically (temporary name, then rename), in the order given.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, SafeTensorsDType dtype = SafeTensorsDType.F32)
    {
        if (dtype is not (SafeTensorsDType.F32 or SafeTensorsDType.F16))
            throw new ArgumentException($"SafeTensors.Save: writing {dtype} is not supported (F32 or F16)", nameof(dtype));
        var list = tensors.ToList();
        int elementSize = dtype == SafeTensorsDType.F32 ? 4 : 2;
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in list)
            {
                w.WriteStartObject(name);
                w.WriteString("dtype", dtype.ToString());
                w.WriteStartArray("shape");
                foreach (int d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += (long)t.Size * elementSize;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        // Pad the header with spaces to a multiple of 8 so the data is aligned, as the reference writer does.
        int pad = (int)((8 - header.Length % 8) % 8);
        for (int i = 0; i < pad; i++) header.WriteByte((byte)' ');
        AtomicFile.Write(path, s =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            s.Write(len);
            header.Position = 0;
            header.CopyTo(s);
            foreach (var (_, t) in list)
            {
                if (dtype == SafeTensorsDType.F32) s.Write(MemoryMarshal.AsBytes(t.Data.AsSpan()));
                else
                {
                    var half = new Half[t.Size];
                    for (int i = 0; i < half.Length; i++) half[i] = (Half)t.Data[i];
                    s.Write(MemoryMarshal.AsBytes(half.AsSpan()));
                }
            }
        });
    }

    /// <summary>Reads a whole file; every tensor becomes float32. Errors name the file and the tensor.</summary>
    public static SafeTensorsFile Load(string path)
    {
        byte[] bytes;
        // /dev/zero or a FIFO would be read forever (or block): refuse what is not a regular file.
        if (UnixFile.NotRegular(path) is { } why and not "file not found") throw new SafeTensorsException($"{path}: {why}");
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new SafeTensorsException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new SafeTensorsException($"{path}: file not found"); }
        return Parse(bytes, path);
    }

    public static SafeTensorsFile Parse(byte[] bytes, string source)
    {
        if (bytes.Length < 8) throw new SafeTensorsException($"{source}: not a safetensors file ({bytes.Length} bytes, shorter than the 8-byte header length)");
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLen > MaxHeader || (long)headerLen > bytes.Length - 8)
            throw new SafeTensorsException($"{source}: not a safetensors file or truncated (header length {headerLen}, file has {bytes.Length} bytes)");
        long dataStart = 8 + (long)headerLen;
        long dataLen = bytes.Length - dataStart;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLen)); }
        catch (JsonException e) { throw new SafeTensorsException($"{source}: header is not valid JSON ({e.Message})", e); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new SafeTensorsException($"{source}: header is not a JSON object");

        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    if (prop.Value.ValueKind != JsonValueKind.Object) throw new SafeTensorsException($"{source}: __metadata__ is not an object");
                    foreach (var m in prop.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                tensors[prop.Name] = ReadTensor(prop, bytes, dataStart, dataLen, source);
            }
        }
        catch (InvalidOperationException e)
        {
            // JsonDocument accepts bytes that are not UTF-8 (or an escaped lone surrogate) and fails only when a
            // name or string is read (found by fuzzing).
            throw new SafeTensorsException($"{source}: header holds a name or value that is not valid text ({e.Message})", e);
        }
        return new SafeTensorsFile(tensors, metadata);
    }

    private static Tensor ReadTensor(JsonProperty prop, byte[] bytes, long dataStart, long dataLen, string source)
    {
        string where = $"{source}: tensor '{prop.Name}'";
        try
        {
            var e = prop.Value;
            var dtypeText = e.GetProperty("dtype").GetString();
            if (!Enum.TryParse<SafeTensorsDType>(dtypeText, out var dtype))
                throw new SafeTensorsException($"{where}: unsupported dtype {dtypeText}");
            var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var offs = e.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            if (offs.Length != 2 || offs[0] < 0 || offs[1] < offs[0]) throw new SafeTensorsException($"{where}: bad data_offsets");
            if (offs[1] > dataLen) throw new SafeTensorsException($"{where}: data ends at byte {offs[1]} but the file holds {dataLen} data bytes (truncated?)");
            int count = ShapeMath.Size(shape);
            int es = ElementSize(dtype);
            if ((offs[1] - offs[0]) != (long)count * es)
                throw new SafeTensorsException($"{where}: shape {ShapeMath.Format(shape)} of {dtype} needs {(long)count * es} bytes, offsets give {offs[1] - offs[0]}");
            var src = bytes.AsSpan((int)(dataStart + offs[0]), (int)(offs[1] - offs[0]));
            var data = new float[count];
            Convert(dtype, src, data);
            return new Tensor(data, shape) { Name = prop.Name };
        }
        catch (KeyNotFoundException) { throw new SafeTensorsException($"{where}: entry lacks dtype, shape or data_offsets"); }
        catch (InvalidOperationException ex) { throw new SafeTensorsException($"{where}: malformed entry ({ex.Message})", ex); }
        catch (FormatException ex) { throw new SafeTensorsException($"{where}: malformed entry ({ex.Message})", ex); }
        catch (ShapeException ex) { throw new SafeTensorsException($"{where}: {ex.Message}", ex); }
    }

    private static int ElementSize(SafeTensorsDType d) => d switch
    {
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        _ => 1,
    };

    private static void Convert(SafeTensorsDType d, ReadOnlySpan<byte> src, Span<float> dst)
    {
        switch (d)
        {
            case SafeTensorsDType.F32: MemoryMarshal.Cast<byte, float>(src).CopyTo(dst); break;
            case SafeTensorsDType.F64: { var s = MemoryMarshal.Cast<byte, double>(src); for (int i = 0; i < dst.Length; i++) dst[i] = (float)s[i]; break; }
            case SafeTensorsDType.F16: { var s = MemoryMarshal.Cast<byte, Half>(src); for (int i = 0; i < dst.Length; i++) dst[i] = (float)s[i]; break; }
            case SafeTensorsDType.BF16: { var s = MemoryMarshal.Cast<byte, ushort>(src); for (int i = 0; i < dst.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(s[i] << 16); break; }
            case SafeTensorsDType.I64: { var s = MemoryMarshal.Cast<byte, long>(src); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case SafeTensorsDType.I32: { var s = MemoryMarshal.Cast<byte, int>(src); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            default: for (int i = 0; i < dst.Length; i++) dst[i] = src[i]; break;
        }
    }
}
