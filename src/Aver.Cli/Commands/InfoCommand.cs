using Aver.Tensors;

namespace Aver.Cli.Commands;

/// <summary>`aver info`: what the engine runs on.</summary>
public sealed class InfoCommand : CliCommand
{
    public override string Name => "info";
    public override string Summary => "show the engine's configuration (BLAS, threads, SIMD, Winograd)";
    public override string Help => """
        aver info [--json]

        Prints the matrix-product backend (OpenBLAS or the managed fallback), thread count, SIMD support
        and whether 3x3 convolutions use Winograd's algorithm (AVER_WINOGRAD=0 turns it off).

        Example:
          aver info --json
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        var info = new Dictionary<string, object>
        {
            ["blas"] = Blas.UsesOpenBlas ? "openblas" : "managed",
            ["threads"] = Engine.Threads,
            ["avx2"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported,
            ["avx512"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            // 3x3 stride-1 convolutions: Winograd F(4x4, 3x3) needs AVX; AVER_WINOGRAD=0 turns it off
            ["winograd"] = !System.Runtime.Intrinsics.X86.Avx.IsSupported ? "unavailable (no AVX)" : Engine.Winograd ? "on" : "off (AVER_WINOGRAD=0)",
            ["vector_bits"] = System.Numerics.Vector<float>.Count * 32,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
        if (json) ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(info));
        else foreach (var (k, v) in info) ctx.Out.WriteLine($"{k,-12} {v}");
        return 0;
    }
}
