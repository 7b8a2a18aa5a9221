using System.Runtime.InteropServices;

namespace Aver.Features.Spectral;

/// <summary>
/// A float buffer from the C allocator for a front end's clip-wide intermediate, freed by <see cref="Dispose"/>.
/// Why not a pooled array: an intermediate of a clip's size (about 1 MB) lands on the large-object heap among the
/// clip outputs, and while it lives there the GC hands the memory of each freed output back to the OS, so the next
/// output is faulted in page by page (measured in bench/features/README.md); the C allocator keeps freed blocks
/// mapped for the next clip.
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private float* _data;

    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _data = (float*)NativeMemory.Alloc((nuint)Math.Max(1, length), sizeof(float));
    }

    public int Length { get; }

    public Span<float> AsSpan(int start, int length)
    {
        ObjectDisposedException.ThrowIf(_data == null, this);
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
            throw new ArgumentOutOfRangeException(nameof(start), $"NativeBuffer: [{start}, {start + length}) outside [0, {Length})");
        return new Span<float>(_data + start, length);
    }

    public void Dispose()
    {
        NativeMemory.Free(_data);
        _data = null;
    }
}
