using System.Text.Json;
using Aver.Tensors;

namespace Aver.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void ReportsTheEngineConfigurationAsJson()
    {
        var (code, output, _) = CliRun.Run("info", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(Engine.Threads, root.GetProperty("threads").GetInt32());
        Assert.Equal(Blas.UsesOpenBlas ? "openblas" : "managed", root.GetProperty("blas").GetString());
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx2.IsSupported, root.GetProperty("avx2").GetBoolean());
        string expected = !System.Runtime.Intrinsics.X86.Avx.IsSupported ? "unavailable (no AVX)" : Engine.Winograd ? "on" : "off (AVER_WINOGRAD=0)";
        Assert.Equal(expected, root.GetProperty("winograd").GetString());
    }

    [Fact]
    public void RefusesUnknownOptions()
    {
        var (code, _, err) = CliRun.Run("info", "--bogus");
        Assert.NotEqual(0, code);
        Assert.Contains("bogus", err);
    }
}
