using Aver.Tensors;

namespace Aver.Cli.Commands;

/// <summary>`aver info`: what the engine runs on.</summary>
public sealed class InfoCommand : CliCommand
{
    public override string Name => "info";
    public override string Summary => "show the engine's configuration (BLAS, threads, SIMD)";
    public override string Help => """
        aver info [--json]

        Prints the matrix-product backend (OpenBLAS or the managed fallback), thread count and SIMD width.

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
            ["avx512"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
            ["vector_bits"] = System.Numerics.Vector<float>.Count * 32,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
        if (json) ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(info));
        else foreach (var (k, v) in info) ctx.Out.WriteLine($"{k,-12} {v}");
        return 0;
    }
}
