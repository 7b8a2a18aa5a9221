using System.Buffers.Binary;
using System.Text;
using Google.Protobuf;

namespace Aver.Tensors.Onnx;

/// <summary>
/// Parses the protobuf wire format of an .onnx file into <see cref="OnnxModelProto"/> with
/// <see cref="CodedInputStream"/>, by the field numbers of onnx.proto. Unknown fields are skipped, so
/// newer files still load; repeated scalars are accepted packed or unpacked, as the format allows.
/// </summary>
public static class OnnxProtoReader
{
    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    /// <exception cref="OnnxException">Missing, empty or corrupt file, or one without a graph.</exception>
    public static OnnxModelProto ReadFile(string path)
    {
        if (!File.Exists(path)) throw new OnnxException($"{path}: ONNX model file not found");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new OnnxException($"{path}: ONNX model file is empty (zero bytes)");
        try
        {
            return ParseModel(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxException($"{path}: not a valid ONNX model (protobuf: {e.Message})", e);
        }
        catch (OnnxException e)
        {
            throw new OnnxException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses a serialized ModelProto.</summary>
    public static OnnxModelProto ParseModel(byte[] bytes)
    {
        long ir = 0;
        string producer = "", producerVersion = "";
        var opsets = new Dictionary<string, long>();
        OnnxGraphProto? graph = null;
        var s = new CodedInputStream(bytes);
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: ir = s.ReadInt64(); break;
                case 2: producer = s.ReadString(); break;
                case 3: producerVersion = s.ReadString(); break;
                case 7: graph = ParseGraph(Sub(s)); break;
                case 8:
                    var (domain, version) = ParseOpset(Sub(s));
                    opsets[domain] = version;
                    break;
                default: s.SkipLastField(); break;
            }
        }
        if (graph is null) throw new OnnxException("the model has no graph (ModelProto field 7 missing; is this an ONNX file?)");
        return new OnnxModelProto(ir, producer, producerVersion, opsets, graph);
    }

    private static (string Domain, long Version) ParseOpset(CodedInputStream s)
    {
        string domain = "";
        long version = 0;
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: domain = s.ReadString(); break;
                case 2: version = s.ReadInt64(); break;
                default: s.SkipLastField(); break;
            }
        }
        return (domain, version);
    }

    private static OnnxGraphProto ParseGraph(CodedInputStream s)
    {
        string name = "";
        var nodes = new List<OnnxNodeProto>();
        var inits = new List<OnnxTensorProto>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: nodes.Add(ParseNode(Sub(s))); break;
                case 2: name = s.ReadString(); break;
                case 5: inits.Add(ParseTensor(Sub(s))); break;
                case 11: inputs.Add(ParseValueInfo(Sub(s))); break;
                case 12: outputs.Add(ParseValueInfo(Sub(s))); break;
                default: s.SkipLastField(); break;
            }
        }
        return new OnnxGraphProto(name, nodes, inits, inputs, outputs);
    }

    private static OnnxNodeProto ParseNode(CodedInputStream s)
    {
        string name = "", op = "", domain = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attrs = new Dictionary<string, OnnxAttribute>();
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(s.ReadString()); break;
                case 2: outputs.Add(s.ReadString()); break;
                case 3: name = s.ReadString(); break;
                case 4: op = s.ReadString(); break;
                case 5:
                    var a = ParseAttribute(Sub(s));
                    attrs[a.Name] = a;
                    break;
                case 7: domain = s.ReadString(); break;
                default: s.SkipLastField(); break;
            }
        }
        return new OnnxNodeProto(name, op, domain, inputs, outputs, attrs);
    }

    private static OnnxAttribute ParseAttribute(CodedInputStream s)
    {
        string name = "", str = "";
        var type = OnnxAttributeType.Undefined;
        float f = 0;
        long i = 0;
        OnnxTensorProto? t = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var strings = new List<string>();
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = s.ReadString(); break;
                case 2: f = s.ReadFloat(); break;
                case 3: i = s.ReadInt64(); break;
                case 4: str = Encoding.UTF8.GetString(s.ReadBytes().Span); break;
                case 5: t = ParseTensor(Sub(s)); break;
                case 7: ReadFloats(s, tag, floats); break;
                case 8: ReadInt64s(s, tag, ints); break;
                case 9: strings.Add(Encoding.UTF8.GetString(s.ReadBytes().Span)); break;
                case 20: type = (OnnxAttributeType)s.ReadInt32(); break;
                default: s.SkipLastField(); break;
            }
        }
        return new OnnxAttribute(name, type, f, i, str, t, floats.ToArray(), ints.ToArray(), strings.ToArray());
    }

    private static OnnxValueInfo ParseValueInfo(CodedInputStream s)
    {
        string name = "";
        var elem = OnnxDataType.Undefined;
        long[]? shape = null;
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = s.ReadString(); break;
                case 2: (elem, shape) = ParseTensorType(Sub(s)); break;
                default: s.SkipLastField(); break;
            }
        }
        return new OnnxValueInfo(name, elem, shape);
    }

    // TypeProto { Tensor tensor_type = 1 }, Tensor { int32 elem_type = 1; TensorShapeProto shape = 2 }.
    private static (OnnxDataType, long[]?) ParseTensorType(CodedInputStream type)
    {
        var elem = OnnxDataType.Undefined;
        long[]? shape = null;
        for (uint tag; (tag = type.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1) { type.SkipLastField(); continue; }
            var tensor = Sub(type);
            for (uint t2; (t2 = tensor.ReadTag()) != 0;)
            {
                switch (WireFormat.GetTagFieldNumber(t2))
                {
                    case 1: elem = (OnnxDataType)tensor.ReadInt32(); break;
                    case 2: shape = ParseShape(Sub(tensor)); break;
                    default: tensor.SkipLastField(); break;
                }
            }
        }
        return (elem, shape);
    }

    // TensorShapeProto { repeated Dimension dim = 1 }, Dimension { int64 dim_value = 1; string dim_param = 2 }.
    private static long[] ParseShape(CodedInputStream s)
    {
        var dims = new List<long>();
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1) { s.SkipLastField(); continue; }
            var d = Sub(s);
            long value = -1;
            for (uint t2; (t2 = d.ReadTag()) != 0;)
            {
                if (WireFormat.GetTagFieldNumber(t2) == 1) value = d.ReadInt64();
                else d.SkipLastField();
            }
            dims.Add(value);
        }
        return dims.ToArray();
    }

    private static OnnxTensorProto ParseTensor(CodedInputStream s)
    {
        string name = "";
        var type = OnnxDataType.Undefined;
        var dims = new List<long>();
        var floats = new List<float>();
        var ints = new List<long>();
        var doubles = new List<double>();
        byte[]? raw = null;
        bool external = false;
        for (uint tag; (tag = s.ReadTag()) != 0;)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: ReadInt64s(s, tag, dims); break;
                case 2: type = (OnnxDataType)s.ReadInt32(); break;
                case 4: ReadFloats(s, tag, floats); break;
                case 5: ReadInt64s(s, tag, ints, int32: true); break;
                case 7: ReadInt64s(s, tag, ints); break;
                case 8: name = s.ReadString(); break;
                case 9: raw = s.ReadBytes().ToByteArray(); break;
                case 10: ReadDoubles(s, tag, doubles); break;
                case 11: ReadInt64s(s, tag, ints); break;
                case 14: external = s.ReadInt32() == 1; break;
                default: s.SkipLastField(); break;
            }
        }
        if (external) throw new OnnxException($"tensor '{name}' keeps its data in an external file, which Aver does not read");
        long count = 1;
        foreach (var d in dims) count *= d;
        var (f, i) = Decode(name, type, raw, floats, ints, doubles);
        long got = f?.Length ?? i!.Length;
        if (got != count)
            throw new OnnxException($"tensor '{name}' has {got} elements but its dims [{string.Join(", ", dims)}] need {count}");
        return new OnnxTensorProto(name, type, dims.ToArray(), f, i);
    }

    /// <summary>The elements from raw_data (little-endian) or from the typed repeated field.</summary>
    private static (float[]?, long[]?) Decode(string name, OnnxDataType type, byte[]? raw, List<float> floats, List<long> ints, List<double> doubles)
    {
        switch (type)
        {
            case OnnxDataType.Float:
                if (raw is null) return (floats.ToArray(), null);
                var f = new float[raw.Length / 4];
                for (int k = 0; k < f.Length; k++) f[k] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * k));
                return (f, null);
            case OnnxDataType.Double:
                if (raw is null) return (doubles.Select(d => (float)d).ToArray(), null);
                var d = new float[raw.Length / 8];
                for (int k = 0; k < d.Length; k++) d[k] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8 * k));
                return (d, null);
            case OnnxDataType.Float16:
                // Without raw_data, float16 bits are stored one per int32_data entry.
                var h = new float[raw is null ? ints.Count : raw.Length / 2];
                for (int k = 0; k < h.Length; k++)
                    h[k] = (float)BitConverter.UInt16BitsToHalf(raw is null ? (ushort)ints[k] : BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2 * k)));
                return (h, null);
            case OnnxDataType.Int64 or OnnxDataType.UInt64:
                if (raw is null) return (null, ints.ToArray());
                var l = new long[raw.Length / 8];
                for (int k = 0; k < l.Length; k++) l[k] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * k));
                return (null, l);
            case OnnxDataType.Int32 or OnnxDataType.UInt32:
                if (raw is null) return (null, ints.ToArray());
                var n = new long[raw.Length / 4];
                for (int k = 0; k < n.Length; k++)
                    n[k] = type == OnnxDataType.Int32 ? BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(4 * k)) : BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(4 * k));
                return (null, n);
            case OnnxDataType.Bool or OnnxDataType.UInt8:
                return (null, raw is null ? ints.ToArray() : raw.Select(b => (long)b).ToArray());
            case OnnxDataType.Int8:
                return (null, raw is null ? ints.ToArray() : raw.Select(b => (long)(sbyte)b).ToArray());
            default:
                throw new OnnxException($"tensor '{name}' has element type {type}, which Aver does not read");
        }
    }

    /// <summary>A nested message's bytes as a stream of their own.</summary>
    private static CodedInputStream Sub(CodedInputStream s) => new(s.ReadBytes().ToByteArray());

    private static void ReadInt64s(CodedInputStream s, uint tag, List<long> into, bool int32 = false)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
        {
            into.Add(int32 ? s.ReadInt32() : s.ReadInt64());
            return;
        }
        var packed = Sub(s);
        while (!packed.IsAtEnd) into.Add(int32 ? packed.ReadInt32() : packed.ReadInt64());
    }

    private static void ReadFloats(CodedInputStream s, uint tag, List<float> into)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited) { into.Add(s.ReadFloat()); return; }
        var bytes = s.ReadBytes().Span;
        for (int k = 0; k + 4 <= bytes.Length; k += 4) into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[k..]));
    }

    private static void ReadDoubles(CodedInputStream s, uint tag, List<double> into)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited) { into.Add(s.ReadDouble()); return; }
        var bytes = s.ReadBytes().Span;
        for (int k = 0; k + 8 <= bytes.Length; k += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[k..]));
    }
}
