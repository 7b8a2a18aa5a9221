using Aver.Tensors.IO;

namespace Aver.Tensors.Tests.IO;

public sealed class UnixFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-unixfile-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void KindsAndIdentitiesFollowLinks()
    {
        var file = Path.Combine(_dir, "a.bin");
        File.WriteAllBytes(file, [1]);
        var link = Path.Combine(_dir, "b.bin");
        File.CreateSymbolicLink(link, file);
        var fifo = Path.Combine(_dir, "pipe");
        TestMkfifo.Make(fifo);
        Assert.Equal(FileKind.Regular, UnixFile.Kind(link));
        Assert.Equal(FileKind.Directory, UnixFile.Kind(_dir));
        Assert.Equal(FileKind.CharacterDevice, UnixFile.Kind("/dev/zero"));
        Assert.Equal(FileKind.NamedPipe, UnixFile.Kind(fifo));
        Assert.Equal(FileKind.Missing, UnixFile.Kind(Path.Combine(_dir, "none")));
        Assert.Equal(UnixFile.Identity(file), UnixFile.Identity(link));
        Assert.NotEqual(UnixFile.Identity(file), UnixFile.Identity(_dir));
    }

    [Fact]
    public void ASafetensorsLoadOfADeviceOrFifoIsRefusedInsteadOfReadForever()
    {
        var fifo = Path.Combine(_dir, "model.safetensors");
        TestMkfifo.Make(fifo);
        Assert.Equal("/dev/zero: is a character device, not a regular file", Assert.Throws<SafeTensorsException>(() => SafeTensors.Load("/dev/zero")).Message);
        Assert.Contains("named pipe", Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(fifo)).Message);
    }
}
