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
var rate = BenchTimer.Run(setup(), items, options.Seconds);
Console.WriteLine(BenchTimer.JsonLine(options.Bench, rate, options.Threads));
if (OpProfiler.Enabled) OpProfiler.Report(Console.Error);
return 0;
