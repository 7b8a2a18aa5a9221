using System.Diagnostics;

namespace Aver.Testing;

/// <summary>Makes a named pipe (FIFO) with coreutils' mkfifo: an input that reports zero bytes and blocks a reader.</summary>
internal static class TestMkfifo
{
    public static void Make(string path)
    {
        using var p = Process.Start("mkfifo", [path])!;
        p.WaitForExit();
        Xunit.Assert.Equal(0, p.ExitCode);
    }
}
