// Side-by-side benchmarks against PyTorch (bench/torch_bench.py); see bench/README.md for what each
// measures and bench/run.sh for how both engines are run.
using Aver.Bench;
using Aver.Tensors;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: dotnet bench/Aver.Bench/bin/Release/net10.0/Aver.Bench.dll BENCH [--threads N] [--seconds S]");
    Console.Error.WriteLine("BENCH: resnet-train | resnet-infer | bilstm | transformer | audio-cnn-train | fer-train | conv-shapes | resnet-ops | gemm | gemm-bf16 | fma-peak");
    return 2;
}
Engine.Threads = options.Threads;
// AVER_BENCH_L2_KIB sizes the kernels' cache tiles for another L2 than sysfs reports (e.g. one L2 shared by two threads).
if (int.TryParse(Environment.GetEnvironmentVariable("AVER_BENCH_L2_KIB"), out int l2Kib)) Engine.L2CacheBytes = l2Kib << 10;
if (options.Bench == "conv-shapes")
{
    ConvShapesBench.Run(options.Seconds, Console.Out);
    return 0;
}
if (options.Bench == "gemm")
{
    GemmBench.Run(options.Seconds, Console.Out);
    return 0;
}
if (options.Bench == "fma-peak")
{
    FmaPeakBench.Run(options.Threads, options.Seconds, Console.Out);
    return 0;
}
if (options.Bench == "gemm-bf16")
{
    Bf16GemmBench.Run(options.Seconds, Console.Out);
    return 0;
}
if (options.Bench == "resnet-ops")
{
    ResNetOpsBench.Run(options.Seconds, Console.Out);
    return 0;
}
Func<Action>? setup = options.Bench switch
{
    "resnet-train" => ResNetTrainBench.Setup,
    "resnet-infer" => ResNetInferBench.Setup,
    "bilstm" => BiLstmBench.Setup,
    "transformer" => TransformerBench.Setup,
    "audio-cnn-train" => AudioCnnTrainBench.Setup,
    "fer-train" => FerTrainBench.Setup,
    _ => null,
};
if (setup is null)
{
    Console.Error.WriteLine($"unknown bench {options.Bench}");
    return 2;
}
int items = options.Bench switch { "resnet-train" => ResNetTrainBench.Batch, "resnet-infer" => ResNetInferBench.Batch, "fer-train" => FerTrainBench.Batch, _ => 32 };
// AVER_BENCH_ALTERNATE=winograd|packed|packed-all|fused-bn|workers|chunks|taps|adjoint|blocks|panels|threads|isa: the same bench with that engine setting off (A) and
// on (B), step by step (threads: one engine thread against --threads, so the ratio is how the step scales).
string? alternate = Environment.GetEnvironmentVariable("AVER_BENCH_ALTERNATE");
if (!string.IsNullOrEmpty(alternate))
{
    bool packedDefault = Engine.PackedGemm;
    Action<bool>? set = alternate switch
    {
        "winograd" => on => Engine.Winograd = on,
        "packed" => on => Engine.PackedGemm = on,
        // off: the default (OpenBLAS where the packed kernel is off); on: the packed kernel for every product
        "packed-all" => on => (Engine.PackedGemm, Aver.Tensors.Kernels.PackedGemm.ServeAll) = (on || packedDefault, on),
        "fused-bn" => on => Aver.Tensors.Nn.ConvBatchNorm.Fused = on,
        "workers" => on => Aver.Tensors.LoopWorkers.Enabled = on,
        "chunks" => on => Aver.Tensors.Kernels.Winograd.Schedule.BalancedChunks = on,
        "taps" => on => Aver.Tensors.Kernels.Winograd.SpreadTaps = on,
        "adjoint" => on => Aver.Tensors.Kernels.Winograd.AdjointInputGradient = on,
        "blocks" => on => Aver.Tensors.Kernels.Winograd.WeightGradientInBlocks = on,
        "panels" => on => Aver.Tensors.Kernels.Winograd.KernelPanels = on,
        "threads" => on => Engine.Threads = on ? options.Threads : 1,
        // off: the AVX2 path as AVER_ISA=avx2 sets it up (OpenBLAS for every product); on: the CPU's own path
        "isa" => on => (Engine.Isa, Engine.PackedGemm) = on ? (Aver.Tensors.CpuFeatures.Supported, packedDefault) : (Aver.Tensors.IsaPath.Avx2, false),
        _ => null,
    };
    if (set is null) { Console.Error.WriteLine($"AVER_BENCH_ALTERNATE: unknown setting {alternate} (winograd, packed, packed-all, fused-bn, workers, chunks, taps, adjoint, blocks, panels, threads, isa)"); return 2; }
    var (rateA, rateB, ratio, pairs) = BenchTimer.Alternate(setup(), set, items, options.Seconds);
    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{{\"bench\": \"{options.Bench}\", \"alternate\": \"{alternate}\", \"off_items_per_s\": {rateA:F2}, \"on_items_per_s\": {rateB:F2}, \"median_time_ratio_on_off\": {ratio:F3}, \"pairs\": {pairs}, \"threads\": {options.Threads}}}"));
    return 0;
}
var rate = BenchTimer.Run(setup(), items, options.Seconds);
Console.WriteLine(BenchTimer.JsonLine(options.Bench, rate, options.Threads));
if (OpProfiler.Enabled) OpProfiler.Report(Console.Error);
return 0;
