using System.Text.Json;
using Aver.Tensors;

namespace Aver.Cli.Tests.Commands;

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
        Assert.StartsWith(Blas.UsesOpenBlas ? "openblas (" : Engine.Isa >= IsaPath.Avx2 ? "packed" : "managed", root.GetProperty("blas").GetString());
        Assert.Equal(CpuFeatures.ModelName, root.GetProperty("cpu").GetString());
        Assert.StartsWith(Engine.Isa.ToString().ToLowerInvariant(), root.GetProperty("isa").GetString());
        Assert.StartsWith($"{Engine.L2CacheBytes >> 10} KiB", root.GetProperty("l2_cache").GetString());
        string expected = Engine.Isa < IsaPath.Avx2 ? "unavailable (no AVX2 path)" : Engine.Winograd ? "on" : "off (AVER_WINOGRAD=0)";
        Assert.StartsWith(expected, root.GetProperty("winograd").GetString());
        Assert.Equal(Engine.Winograd && Engine.Isa == IsaPath.Avx512 && Engine.PackedGemm, root.GetProperty("winograd").GetString()!.Contains("panels"));
        Assert.Equal(Aver.Cli.Commands.InfoCommand.PackedGemm(), root.GetProperty("packed_gemm").GetString());
        Assert.StartsWith(double.IsNaN(CpuFeatures.Fma512TimeRatio) ? "unavailable" : $"{CpuFeatures.Fma512TimeRatio:F2}x", root.GetProperty("fma512_time").GetString());
        if (Engine.Isa == IsaPath.Avx512 && Blas.UsesOpenBlas) Assert.StartsWith(Engine.PackedGemm ? "on" : "off", root.GetProperty("packed_gemm").GetString());
        bool bf16 = File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags") && l.Split(' ').Contains("avx512_bf16"));
        Assert.StartsWith(bf16 && Engine.Isa == IsaPath.Avx512 ? "off (the cpu has AVX512_BF16" : "unavailable", root.GetProperty("bf16").GetString());
    }

    [Theory]
    [InlineData(null, "on (arrays of 32768 floats and more, up to 512 MiB held)")]
    [InlineData("0", "off (AVER_RECYCLE=0)")]
    [InlineData("poison", "on (arrays of 32768 floats and more, up to 512 MiB held; recycled arrays poisoned with NaN)")]
    public void SaysWhetherTensorMemoryIsRecycled(string? value, string expected)
    {
        // AVER_RECYCLE is read once per process (and this suite poisons in-process), so the built command runs apart.
        var dll = Path.Combine(AppContext.BaseDirectory, "aver.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [dll, "info", "--json"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (value is null) start.Environment.Remove("AVER_RECYCLE"); else start.Environment["AVER_RECYCLE"] = value;
        using var p = System.Diagnostics.Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(expected, JsonDocument.Parse(output).RootElement.GetProperty("recycling").GetString());
    }

    [Theory]
    [InlineData("AVER_ISA", "bogus", "expected scalar, avx2 or avx512")]
    [InlineData("AVER_ISA", "3", "expected scalar, avx2 or avx512")]
    [InlineData("AVER_PRECISION", "fp16", "expected fp32 or bf16")]
    [InlineData("AVER_PRECISION", "BF16", "expected fp32 or bf16")]
    public void ABadEngineVariableIsOneLineAndExitCode2(string variable, string value, string message)
    {
        // The variables are read once per process, so this runs the built command in a process of its own.
        var dll = Path.Combine(AppContext.BaseDirectory, "aver.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [dll, "info"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment[variable] = value;
        using var p = System.Diagnostics.Process.Start(start)!;
        string err = p.StandardError.ReadToEnd(), output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Equal($"aver: {variable}={value}: {message}", err.TrimEnd());
        Assert.Equal("", output);
    }

    [Fact]
    public void PrecisionBf16LastsForItsCommandAndIsRefusedWhereTheCpuLacksIt()
    {
        var (code, output, err) = CliRun.Run("info", "--json", "--precision", "bf16");
        if (Aver.Tensors.Kernels.Bf16.Bf16Gemm.IsSupported && Engine.Isa >= IsaPath.Avx512)
        {
            Assert.True(code == 0, err);
            Assert.StartsWith("on (", JsonDocument.Parse(output).RootElement.GetProperty("bf16").GetString());
        }
        else
        {
            Assert.Equal(2, code);
            // the CPU lacks it, or AVER_ISA forces a path below the one bf16 runs on
            Assert.Contains(Aver.Tensors.Kernels.Bf16.Bf16Gemm.IsSupported ? "bf16 runs on the avx512 path" : "needs a CPU with AVX512_BF16", err);
        }
        Assert.Equal(Precision.Fp32, Engine.Precision);   // the next command (a test in this process) computes in fp32 again
        var (bad, _, message) = CliRun.Run("info", "--precision", "fp16");
        Assert.Equal(2, bad);
        Assert.Contains("--precision fp16: expected fp32 or bf16", message);
    }

    [Fact]
    public void RefusesUnknownOptions()
    {
        var (code, _, err) = CliRun.Run("info", "--bogus");
        Assert.NotEqual(0, code);
        Assert.Contains("bogus", err);
    }
}
