using System.Runtime.InteropServices;

namespace Aver.Tensors.IO;

/// <summary>What a path names, following symbolic links (stat(2)'s S_IFMT).</summary>
public enum FileKind { Missing, Regular, Directory, NamedPipe, CharacterDevice, BlockDevice, Socket, Unknown }

/// <summary>A file's identity: device and inode, the same for every path (link, bind mount) that leads to it.</summary>
public readonly record struct FileId(ulong Device, ulong Inode);

/// <summary>
/// stat(2) on Linux, which .NET does not expose: the kind of a file (a FIFO or /dev/zero reports length 0, yet
/// is not an empty file, and reading it never ends or blocks) and its identity (to follow a symbolic link once).
/// Elsewhere, or on an architecture whose struct stat is not laid out here, kinds are <see cref="FileKind.Unknown"/>
/// and identities null, and callers fall back on what .NET tells.
/// </summary>
public static unsafe partial class UnixFile
{
    // Offsets in glibc's struct stat: x86-64 (st_dev, st_ino, st_nlink as 8 bytes, then st_mode) and the generic
    // layout of arm64 (st_dev, st_ino, then st_mode).
    private static readonly int ModeOffset = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 24,
        Architecture.Arm64 => 16,
        _ => -1,
    };

    private static readonly bool Available = OperatingSystem.IsLinux() && ModeOffset >= 0;

    [LibraryImport("libc.so.6", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte* buffer);

    /// <summary>The kind of file at <paramref name="path"/> (links followed).</summary>
    public static FileKind Kind(string path) => Query(path, out var kind, out _) ? kind : File.Exists(path) ? FileKind.Unknown : Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;

    /// <summary>The identity of the file or folder at <paramref name="path"/> (links followed), or null where stat is not available.</summary>
    public static FileId? Identity(string path) => Query(path, out var kind, out var id) && kind != FileKind.Missing ? id : null;

    /// <summary>Words for a kind that is not a regular file, e.g. "a named pipe (FIFO)".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.NamedPipe => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Directory => "a folder",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };

    /// <summary>
    /// Null when <paramref name="path"/> is a regular file (or its kind cannot be told), else why it cannot be read
    /// as one, e.g. "is a character device, not a regular file".
    /// </summary>
    public static string? NotRegular(string path) => Kind(path) switch
    {
        FileKind.Regular or FileKind.Unknown => null,
        FileKind.Missing => "file not found",
        var k => $"is {Describe(k)}, not a regular file",
    };

    private static bool Query(string path, out FileKind kind, out FileId id)
    {
        kind = FileKind.Unknown;
        id = default;
        if (!Available) return false;
        byte* buffer = stackalloc byte[256];   // struct stat is 144 bytes on x86-64, 128 on arm64
        try
        {
            if (Stat(path, buffer) != 0) { kind = FileKind.Missing; return true; }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
        uint mode = *(uint*)(buffer + ModeOffset);
        id = new FileId(*(ulong*)buffer, *(ulong*)(buffer + 8));
        kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.NamedPipe,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
        return true;
    }
}
