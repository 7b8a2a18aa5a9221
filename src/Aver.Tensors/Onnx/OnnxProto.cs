namespace Aver.Tensors.Onnx;

// The subset of onnx.proto (IR version 3 and later) that describes an inference graph, as plain
// immutable records. Field numbers are listed in OnnxProtoReader where each message is parsed.

/// <summary>ModelProto: IR version, operator sets, producer and the main graph.</summary>
public sealed record OnnxModelProto(long IrVersion, string ProducerName, string ProducerVersion,
    IReadOnlyDictionary<string, long> Opsets, OnnxGraphProto Graph);

/// <summary>GraphProto: nodes in topological order, constant initializers, declared inputs and outputs.</summary>
public sealed record OnnxGraphProto(string Name, IReadOnlyList<OnnxNodeProto> Nodes,
    IReadOnlyList<OnnxTensorProto> Initializers, IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs);

/// <summary>NodeProto: one operator application. An empty input name marks an omitted optional input.</summary>
public sealed record OnnxNodeProto(string Name, string OpType, string Domain, IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>The node's name, or its op type and first output when it has none, for error messages.</summary>
    public string Label => Name.Length > 0 ? $"{OpType} node '{Name}'" : $"{OpType} node producing '{(Outputs.Count > 0 ? Outputs[0] : "?")}'";
}

/// <summary>ValueInfoProto: a graph input or output with its element type and shape (-1 for a symbolic or unknown dimension).</summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, long[]? Shape);

/// <summary>AttributeProto.AttributeType.</summary>
public enum OnnxAttributeType
{
    Undefined = 0, Float = 1, Int = 2, String = 3, Tensor = 4, Graph = 5, Floats = 6, Ints = 7, Strings = 8,
    Tensors = 9, Graphs = 10, SparseTensor = 11, SparseTensors = 12, TypeProto = 13, TypeProtos = 14,
}

/// <summary>TensorProto.DataType (the element types Aver reads are Float, Double, Int32, Int64, Bool, UInt8, Int8).</summary>
public enum OnnxDataType
{
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8,
    Bool = 9, Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13, Complex64 = 14, Complex128 = 15, BFloat16 = 16,
}

/// <summary>AttributeProto: a named value of one of the <see cref="OnnxAttributeType"/> kinds.</summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, float F, long I, string S,
    OnnxTensorProto? T, float[] Floats, long[] Ints, string[] Strings);

/// <summary>
/// TensorProto with its elements decoded: floating types as <see cref="FloatData"/>, integer and bool
/// types as <see cref="IntData"/>. Dims are as stored (a scalar has none).
/// </summary>
public sealed record OnnxTensorProto(string Name, OnnxDataType DataType, long[] Dims, float[]? FloatData, long[]? IntData)
{
    /// <summary>True for element types held as floats (float, double, float16).</summary>
    public bool IsFloat => FloatData is not null;
}
