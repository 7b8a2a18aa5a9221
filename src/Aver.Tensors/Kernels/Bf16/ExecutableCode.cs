using System.Runtime.InteropServices;

namespace Aver.Tensors.Kernels.Bf16;

/// <summary>
/// Machine code mapped into executable memory, for the one kernel .NET cannot express (AVX512_BF16 has no intrinsics
/// class): the bytes are copied into a fresh anonymous mapping, which is then made read-and-execute (never writable
/// and executable at once) and kept for the life of the process.
/// </summary>
internal static partial class ExecutableCode
{
    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(nint address, nuint length, int protection);

    /// <summary>The address of a read-only executable copy of <paramref name="code"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">Not Linux on x86-64, or the system refused the mapping.</exception>
    public static nint Map(ReadOnlySpan<byte> code)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            throw new PlatformNotSupportedException("machine-code kernels run on Linux x86-64 only");
        nuint length = (nuint)((code.Length + 4095) & ~4095);
        nint memory = Mmap(0, length, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (memory == -1) throw new PlatformNotSupportedException($"mmap of {length} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        unsafe { code.CopyTo(new Span<byte>((void*)memory, code.Length)); }
        if (Mprotect(memory, length, ProtRead | ProtExec) != 0)
            throw new PlatformNotSupportedException($"mprotect to read+execute failed (errno {Marshal.GetLastPInvokeError()})");
        return memory;
    }
}
