using Aver.Tensors.Onnx;
using Google.Protobuf;

namespace Aver.Tensors.Tests.Onnx;

/// <summary>
/// The ONNX importer on small models serialised here with the protobuf wire format (field numbers of
/// onnx.proto): parsing of tensors and attributes, execution against Aver's own ops, the inference fast
/// paths against the differentiable ones, and the errors for unsupported operators and bad files.
/// </summary>
public class OnnxImporterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-onnx-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    // ---- a tiny ONNX writer for the tests ----
    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        var s = new CodedOutputStream(ms);
        write(s);
        s.Flush();
        return ms.ToArray();
    }

    private static void Sub(CodedOutputStream s, int field, byte[] bytes)
    {
        s.WriteTag(field, WireFormat.WireType.LengthDelimited);
        s.WriteBytes(ByteString.CopyFrom(bytes));
    }

    private static byte[] FloatTensor(string name, float[] data, params long[] dims) => Message(s =>
    {
        foreach (var d in dims) { s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(d); }
        s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(1);
        s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        var raw = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, raw, 0, raw.Length);
        s.WriteTag(9, WireFormat.WireType.LengthDelimited); s.WriteBytes(ByteString.CopyFrom(raw));
    });

    private static byte[] IntTensor(string name, long[] data) => Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(data.Length);
        s.WriteTag(2, WireFormat.WireType.Varint); s.WriteInt32(7);
        s.WriteTag(8, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        var packed = Message(p => { foreach (var v in data) p.WriteInt64(v); });   // int64_data, packed
        Sub(s, 7, packed);
    });

    private static byte[] IntsAttribute(string name, params long[] values) => Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        foreach (var v in values) { s.WriteTag(8, WireFormat.WireType.Varint); s.WriteInt64(v); }   // unpacked
        s.WriteTag(20, WireFormat.WireType.Varint); s.WriteInt32(7);
    });

    private static byte[] IntAttribute(string name, long value) => Message(s =>
    {
        s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name);
        s.WriteTag(3, WireFormat.WireType.Varint); s.WriteInt64(value);
        s.WriteTag(20, WireFormat.WireType.Varint); s.WriteInt32(2);
    });

    private static byte[] Node(string op, string[] inputs, string[] outputs, params byte[][] attributes) => Message(s =>
    {
        foreach (var i in inputs) { s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(i); }
        foreach (var o in outputs) { s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString(o); }
        s.WriteTag(4, WireFormat.WireType.LengthDelimited); s.WriteString(op);
        foreach (var a in attributes) Sub(s, 5, a);
    });

    private static byte[] ValueInfo(string name) => Message(s => { s.WriteTag(1, WireFormat.WireType.LengthDelimited); s.WriteString(name); });

    private string Model(byte[][] nodes, byte[][] initializers, string[] inputs, string[] outputs)
    {
        var graph = Message(s =>
        {
            foreach (var n in nodes) Sub(s, 1, n);
            foreach (var t in initializers) Sub(s, 5, t);
            foreach (var i in inputs) Sub(s, 11, ValueInfo(i));
            foreach (var o in outputs) Sub(s, 12, ValueInfo(o));
        });
        var model = Message(s =>
        {
            s.WriteTag(1, WireFormat.WireType.Varint); s.WriteInt64(7);
            s.WriteTag(2, WireFormat.WireType.LengthDelimited); s.WriteString("aver-test");
            Sub(s, 8, Message(o => { o.WriteTag(2, WireFormat.WireType.Varint); o.WriteInt64(12); }));
            Sub(s, 7, graph);
        });
        var path = Path.Combine(_dir, $"m{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model);
        return path;
    }

    /// <summary>
    /// x [N,3,8,8] -> depthwise 3x3 (TF-style pads 0,0,1,1, stride 2) -> 1x1 conv to 4 -> + channel-padded
    /// max pool of x (Concat with a batch-1 ConstantOfShape) -> Relu -> Transpose NHWC -> Reshape [1,-1... fixed 1].
    /// </summary>
    private string BlazeBlock(RandomStream rng, out Tensor dw, out Tensor pw, out Tensor pb)
    {
        dw = Tensor.Normal(rng, 0, 1, 3, 1, 3, 3);
        pw = Tensor.Normal(rng, 0, 1, 4, 3, 1, 1);
        pb = Tensor.Normal(rng, 0, 1, 4);
        return Model(
            [
                Node("Conv", ["x", "dw"], ["a"], IntsAttribute("kernel_shape", 3, 3), IntsAttribute("strides", 2, 2), IntsAttribute("pads", 0, 0, 1, 1), IntAttribute("group", 3)),
                Node("Conv", ["a", "pw", "pb"], ["b"], IntsAttribute("kernel_shape", 1, 1)),
                Node("MaxPool", ["x"], ["m"], IntsAttribute("kernel_shape", 2, 2), IntsAttribute("strides", 2, 2)),
                Node("ConstantOfShape", ["zshape"], ["z"]),
                Node("Concat", ["m", "z"], ["mp"], IntAttribute("axis", 1)),
                Node("Add", ["b", "mp"], ["s"]),
                Node("Relu", ["s"], ["r"]),
                Node("Transpose", ["r"], ["t"], IntsAttribute("perm", 0, 2, 3, 1)),
                Node("Reshape", ["t", "shape"], ["y"]),
            ],
            [FloatTensor("dw", dw.Data, 3, 1, 3, 3), FloatTensor("pw", pw.Data, 4, 3, 1, 1), FloatTensor("pb", pb.Data, 4),
             IntTensor("zshape", [1, 1, 4, 4]), IntTensor("shape", [1, 64, 1])],
            ["x"], ["y"]);
    }

    private static Tensor Expected(Tensor x, Tensor dw, Tensor pw, Tensor pb)
    {
        int n = x.Dim(0);
        var a = x.Pad([0, 1, 0, 1]).Conv2d(dw, null, 2, 0, 1, groups: 3);
        var b = a.Conv2d(pw, pb);
        var mp = Tensor.Concat([x.MaxPool2d(2, 2), Tensor.Zeros(n, 1, 4, 4)], 1);
        return b.Add(mp).Relu().Permute(0, 2, 3, 1).Reshape(n, 64, 1);
    }

    [Fact]
    public void RunsAGraphAsAversOwnOpsWould()
    {
        var rng = new RandomStream(11);
        var path = BlazeBlock(rng, out var dw, out var pw, out var pb);
        var model = OnnxModel.Load(path);
        Assert.Equal(["Add", "Concat", "ConstantOfShape", "Conv", "MaxPool", "Relu", "Reshape", "Transpose"], model.OperatorTypes);
        Assert.Equal("x", Assert.Single(model.Inputs).Name);
        Assert.Equal("aver-test", model.Proto.ProducerName);
        Assert.Equal(12, model.Proto.Opsets[""]);
        var x = Tensor.Normal(rng, 0, 1, 1, 3, 8, 8);
        var y = model.Run(x)[0];
        Fixture.AssertClose(Expected(x, dw, pw, pb), y, "one-frame output");
    }

    [Fact]
    public void BatchOfAFixedBatchOneExportRunsWithFreeBatch()
    {
        var rng = new RandomStream(12);
        var path = BlazeBlock(rng, out var dw, out var pw, out var pb);
        var x = Tensor.Normal(rng, 0, 1, 3, 3, 8, 8);
        var y = OnnxModel.Load(path).Run(x)[0];
        Assert.Equal([3, 64, 1], y.Shape.ToArray());
        Fixture.AssertClose(Expected(x, dw, pw, pb), y, "batched output");
        var strict = OnnxModel.Load(path, new OnnxModelOptions { FreeBatch = false });
        var e = Assert.Throws<OnnxException>(() => strict.Run(x));
        Assert.Contains("Concat", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void InferencePathsMatchTheDifferentiableOnes()
    {
        var rng = new RandomStream(13);
        var path = BlazeBlock(rng, out _, out _, out _);
        var x = Tensor.Normal(rng, 0, 1, 2, 3, 8, 8);
        var fast = OnnxModel.Load(path).Run(x)[0];
        var taped = OnnxModel.Load(path, new OnnxModelOptions { NoGrad = false }).Run(x.Detach().RequireGrad())[0];
        Fixture.AssertClose(taped, fast, "no-grad fast paths vs autograd ops");
        taped.Sum().Backward();   // the taped run really differentiates
    }

    [Theory]
    [InlineData(3, 1, 1, 1, 1, 1, 37)]   // BlazeFace's stride-1 3x3 with symmetric padding; 37 columns: a partial vector
    [InlineData(3, 2, 0, 0, 1, 1, 64)]   // its stride-2 3x3 with TF "SAME" padding (0, 0, 1, 1)
    [InlineData(5, 2, 2, 1, 2, 1, 19)]   // odd width, kernel wider than the stride, uneven padding
    [InlineData(3, 3, 0, 2, 1, 0, 23)]   // stride 3
    public void DepthwiseFastPathMatchesTheGroupedConvolution(int k, int stride, int top, int left, int bottom, int right, int width)
    {
        var rng = new RandomStream(17);
        var w = Tensor.Normal(rng, 0, 1, 5, 1, k, k);
        var b = Tensor.Normal(rng, 0, 1, 5);
        var path = Model([Node("Conv", ["x", "w", "b"], ["y"], IntsAttribute("kernel_shape", k, k), IntsAttribute("strides", stride, stride),
                IntsAttribute("pads", top, left, bottom, right), IntAttribute("group", 5))],
            [FloatTensor("w", w.Data, 5, 1, k, k), FloatTensor("b", b.Data, 5)], ["x"], ["y"]);
        var x = Tensor.Normal(rng, 0, 1, 2, 5, 11, width);
        var fast = OnnxModel.Load(path).Run(x)[0];
        var expected = x.Pad([left, right, top, bottom]).Conv2d(w, b, stride, 0, 1, groups: 5);
        Fixture.AssertClose(expected, fast, $"depthwise {k}x{k} stride {stride}");
    }

    [Fact]
    public void InPlaceKernelsSpareCallerInputsAndSharedViews()
    {
        // a = relu(x) must not overwrite x; b = a + 1 must not overwrite a, which the Reshape view v shares.
        var path = Model(
            [Node("Relu", ["x"], ["a"]), Node("Reshape", ["a", "shape"], ["v"]), Node("Add", ["a", "one"], ["b"]), Node("Add", ["v", "b"], ["y"])],
            [FloatTensor("one", Enumerable.Repeat(1f, 6).ToArray(), 2, 3), IntTensor("shape", [2, 3])], ["x"], ["y"]);
        var x = Tensor.FromArray([-1f, 2f, -3f, 4f, 5f, -6f], 2, 3);
        var copy = (float[])x.Data.Clone();
        var y = OnnxModel.Load(path).Run(x)[0];
        Assert.Equal(copy, x.Data);
        Fixture.AssertClose(x.Relu().Mul(2f).Add(1f), y, "relu(x) + (relu(x) + 1)");
    }

    [Fact]
    public void UnsupportedOperatorsAreListedWithTheFile()
    {
        var path = Model([Node("Relu", ["x"], ["a"]), Node("Gather", ["a", "i"], ["b"]), Node("LSTM", ["b"], ["c"]), Node("LSTM", ["c"], ["y"])],
                         [IntTensor("i", [0])], ["x"], ["y"]);
        var e = Assert.Throws<OnnxException>(() => OnnxModel.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("Gather (1 node)", e.Message);
        Assert.Contains("LSTM (2 nodes)", e.Message);
        Assert.Contains("Aver implements: ", e.Message);
        Assert.True(OnnxOperators.IsSupported("Conv"));
    }

    [Fact]
    public void BadFilesAreNamed()
    {
        var missing = Path.Combine(_dir, "missing.onnx");
        Assert.Contains("not found", Assert.Throws<OnnxException>(() => OnnxModel.Load(missing)).Message);
        var empty = Path.Combine(_dir, "empty.onnx");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty", Assert.Throws<OnnxException>(() => OnnxModel.Load(empty)).Message);
        var text = Path.Combine(_dir, "text.onnx");
        File.WriteAllText(text, "this is not protobuf at all, just words\n");
        var e = Assert.Throws<OnnxException>(() => OnnxModel.Load(text));
        Assert.Contains("text.onnx", e.Message);
    }
}
