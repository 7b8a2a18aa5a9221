using System.Buffers.Binary;
using System.Text;
using Aver.Tensors.IO;

namespace Aver.Tensors.Tests.IO;

/// <summary>Headers the safetensors fuzzer (tools/fuzz) found: each must be a SafeTensorsException, never another exception.</summary>
public class SafeTensorsFuzzRegressionTests
{
    private static byte[] File(byte[] header, int dataBytes = 16)
    {
        var b = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)header.Length);
        header.CopyTo(b, 8);
        return b;
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static TheoryData<string, byte[]> Headers => new()
    {
        // Not UTF-8 inside a metadata key, a metadata value and a tensor name (crashes 000000-000003: InvalidOperationException).
        { "metadata key", [.. Utf8("{\"__metadata__\": {\""), 0x83, .. Utf8("format\": \"x\"}}")] },
        { "metadata value", [.. Utf8("{\"__metadata__\": {\"format\": \""), 0x95, .. Utf8("\"}}")] },
        { "tensor name", [.. Utf8("{\""), 0x97, .. Utf8("\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}")] },
        { "escaped lone surrogate", Utf8("{\"__metadata__\": {\"format\": \"\\ud800\"}}") },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void AHeaderThatIsNotValidTextIsRefusedNamingTheFile(string what, byte[] header)
    {
        var e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Parse(File(header), "model.safetensors"));
        Assert.StartsWith("model.safetensors: ", e.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }
}
