using System.Diagnostics;
using System.Globalization;
using Aver.Tensors;
using Aver.Tensors.Native;

namespace Aver.Bench;

/// <summary>
/// Every distinct convolution of the ResNet-18 benches (3x112x112 input), timed alone: forward at
/// the inference batch (32) and at the training batch (16), and at batch 16 the input gradient and
/// the weight gradient separately. Prints one line per shape with the best of the repeats in CPU ms and
/// how often the shape occurs in the network; bench/torch_bench.py conv-shapes prints the same.
/// Times are process CPU time (CLOCK_PROCESS_CPUTIME_ID, what Python's time.process_time reads),
/// which other load on the shared machine disturbs far less than wall-clock time; with one
/// thread it is the kernel's own cost. With more threads the process clock undercounts (a running thread's time is
/// added at its next tick, and the best of the repeats picks the runs it missed most), so <c>AVER_CONV_CLOCK=wall</c>
/// times wall-clock milliseconds instead, to see how each shape scales.
/// </summary>
internal static class ConvShapesBench
{
    /// <summary>Name, input channels, size, output channels, kernel, stride, padding, count in ResNet-18.</summary>
    public static readonly (string Name, int C, int Size, int Cout, int K, int Stride, int Pad, int Count)[] Shapes =
    [
        ("stem 3->64 7x7/2 @112", 3, 112, 64, 7, 2, 3, 1),
        ("l1 64->64 3x3/1 @28", 64, 28, 64, 3, 1, 1, 4),
        ("l2a 64->128 3x3/2 @28", 64, 28, 128, 3, 2, 1, 1),
        ("l2ds 64->128 1x1/2 @28", 64, 28, 128, 1, 2, 0, 1),
        ("l2 128->128 3x3/1 @14", 128, 14, 128, 3, 1, 1, 3),
        ("l3a 128->256 3x3/2 @14", 128, 14, 256, 3, 2, 1, 1),
        ("l3ds 128->256 1x1/2 @14", 128, 14, 256, 1, 2, 0, 1),
        ("l3 256->256 3x3/1 @7", 256, 7, 256, 3, 1, 1, 3),
        ("l4a 256->512 3x3/2 @7", 256, 7, 512, 3, 2, 1, 1),
        ("l4ds 256->512 1x1/2 @7", 256, 7, 512, 1, 2, 0, 1),
        ("l4 512->512 3x3/1 @4", 512, 4, 512, 3, 1, 1, 3),
    ];

    /// <summary>
    /// The FER2013 recipe's network (<see cref="FerTrainBench"/>: width 32, 3x3 stride-1 stem, 1x48x48), timed at its
    /// training batch of 64 in both forward columns when <c>AVER_CONV_NET=fer</c>.
    /// </summary>
    public static readonly (string Name, int C, int Size, int Cout, int K, int Stride, int Pad, int Count)[] FerShapes =
    [
        ("stem 1->32 3x3/1 @48", 1, 48, 32, 3, 1, 1, 1),
        ("l1 32->32 3x3/1 @48", 32, 48, 32, 3, 1, 1, 4),
        ("l2a 32->64 3x3/2 @48", 32, 48, 64, 3, 2, 1, 1),
        ("l2ds 32->64 1x1/2 @48", 32, 48, 64, 1, 2, 0, 1),
        ("l2 64->64 3x3/1 @24", 64, 24, 64, 3, 1, 1, 3),
        ("l3a 64->128 3x3/2 @24", 64, 24, 128, 3, 2, 1, 1),
        ("l3ds 64->128 1x1/2 @24", 64, 24, 128, 1, 2, 0, 1),
        ("l3 128->128 3x3/1 @12", 128, 12, 128, 3, 1, 1, 3),
        ("l4a 128->256 3x3/2 @12", 128, 12, 256, 3, 2, 1, 1),
        ("l4ds 128->256 1x1/2 @12", 128, 12, 256, 1, 2, 0, 1),
        ("l4 256->256 3x3/1 @6", 256, 6, 256, 3, 1, 1, 3),
    ];

    public static void Run(double seconds, TextWriter output)
    {
        switch (Environment.GetEnvironmentVariable("AVER_CONV_COMPARE"))
        {
            case "winograd": Compare(seconds, output, "winograd", "im2col", on => Engine.Winograd = on, s => s.K == 3 && s.Stride == 1); return;
            case "threads":
                int threads = Engine.Threads;
                Compare(seconds, output, $"{threads} threads", "1 thread", on => Engine.Threads = on ? threads : 1, _ => true);
                return;
        }
        var rng = new RandomStream(0);
        bool fer = Environment.GetEnvironmentVariable("AVER_CONV_NET") == "fer";
        var shapes = fer ? FerShapes : Shapes;
        int inferBatch = fer ? FerTrainBench.Batch : 32, trainBatch = fer ? FerTrainBench.Batch : 16;
        output.WriteLine($"shape | count | fwd{inferBatch} ms | fwd{trainBatch} ms | bwd-input{trainBatch} ms | bwd-weight{trainBatch} ms");
        double[] total = new double[4];
        // AVER_CONV_SHAPES=l4 (a name prefix) times only the matching shapes, for profiling one layer.
        string only = Environment.GetEnvironmentVariable("AVER_CONV_SHAPES") ?? "";
        foreach (var s in shapes)
        {
            if (!s.Name.StartsWith(only, StringComparison.Ordinal)) continue;
            var w = Tensor.Normal(rng, 0f, 0.05f, s.Cout, s.C, s.K, s.K);
            var x32 = Tensor.Normal(rng, 0f, 1f, inferBatch, s.C, s.Size, s.Size);
            var x16 = Tensor.Normal(rng, 0f, 1f, trainBatch, s.C, s.Size, s.Size);
            Tensor Conv(Tensor x) => x.Conv2d(w, null, s.Stride, s.Pad);
            var gy = Tensor.Normal(rng, 0f, 1f, NoGrad(() => Conv(x16)).Shape.ToArray());
            double budget = seconds / shapes.Length / 4;
            double fwd32 = Best(() => NoGrad(() => Conv(x32)), budget);
            double fwd16 = Best(() => NoGrad(() => Conv(x16)), budget);
            double bx = BestBackward(() => { x16.RequiresGrad = true; w.RequiresGrad = false; x16.ZeroGrad(); return Conv(x16); }, gy, budget);
            double bw = BestBackward(() => { x16.RequiresGrad = false; w.RequiresGrad = true; w.ZeroGrad(); return Conv(x16); }, gy, budget);
            x16.RequiresGrad = false; w.RequiresGrad = false;
            double[] row = [fwd32, fwd16, bx, bw];
            for (int i = 0; i < 4; i++) total[i] += row[i] * s.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name} | {s.Count} | {fwd32:F2} | {fwd16:F2} | {bx:F2} | {bw:F2}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total (x count) | | {total[0]:F1} | {total[1]:F1} | {total[2]:F1} | {total[3]:F1}"));
        if (fer || (only.Length > 0 && !"maxpool".StartsWith(only, StringComparison.Ordinal))) return;
        // The stem's max pooling, the one other op of the network that walks windows.
        var p32 = Tensor.Normal(rng, 0f, 1f, 32, 64, 56, 56);
        var p16 = Tensor.Normal(rng, 0f, 1f, 16, 64, 56, 56);
        var pgy = Tensor.Normal(rng, 0f, 1f, 16, 64, 28, 28);
        double budget2 = seconds / Shapes.Length / 4;
        double m32 = Best(() => NoGrad(() => p32.MaxPool2d(3, 2, 1)), budget2);
        double m16 = Best(() => NoGrad(() => p16.MaxPool2d(3, 2, 1)), budget2);
        double mb = BestBackward(() => { p16.RequiresGrad = true; p16.ZeroGrad(); return p16.MaxPool2d(3, 2, 1); }, pgy, budget2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"maxpool 64 3x3/2 @56 | 1 | {m32:F2} | {m16:F2} | {mb:F2} | -"));
    }

    /// <summary>
    /// <c>AVER_CONV_COMPARE=winograd|threads</c>: each selected shape at the training batch with an engine setting on and
    /// off, timed in alternation (one run of each, over and over, the best of each kept), so that a host whose speed
    /// drifts from minute to minute (session 19) slows both alike. <c>winograd</c>: the 3x3 stride-1 shapes by Winograd
    /// and by im2col (ratio below 1: Winograd is faster); <c>threads</c>: every shape on --threads threads and on one,
    /// best read with <c>AVER_CONV_CLOCK=wall</c> (ratio 0.5: the second thread halves the time). Ratio = on / off.
    /// </summary>
    private static void Compare(double seconds, TextWriter output, string onName, string offName, Action<bool> set,
        Func<(string Name, int C, int Size, int Cout, int K, int Stride, int Pad, int Count), bool> selected)
    {
        var rng = new RandomStream(0);
        var shapes = Environment.GetEnvironmentVariable("AVER_CONV_NET") == "fer" ? FerShapes : Shapes;
        int batch = shapes == FerShapes ? FerTrainBench.Batch : 16;
        output.WriteLine($"shape | direction (batch {batch}) | {onName} ms | {offName} ms | ratio");
        try
        {
            foreach (var s in shapes)
            {
                if (!selected(s)) continue;
                var w = Tensor.Normal(rng, 0f, 0.05f, s.Cout, s.C, s.K, s.K);
                var x = Tensor.Normal(rng, 0f, 1f, batch, s.C, s.Size, s.Size);
                Tensor Conv() => x.Conv2d(w, null, s.Stride, s.Pad);
                var gy = Tensor.Normal(rng, 0f, 1f, NoGrad(Conv).Shape.ToArray());
                double budget = seconds / shapes.Length;
                (string, Func<double>)[] directions =
                [
                    ("forward", () => { double t = Now(); NoGrad(Conv); return Now() - t; }),
                    ("input gradient", () => { x.RequiresGrad = true; w.RequiresGrad = false; x.ZeroGrad(); var y = Conv(); double t = Now(); y.Backward(gy); return Now() - t; }),
                    ("weight gradient", () => { x.RequiresGrad = false; w.RequiresGrad = true; w.ZeroGrad(); var y = Conv(); double t = Now(); y.Backward(gy); return Now() - t; }),
                ];
                foreach (var (name, once) in directions)
                {
                    double[] best = [double.MaxValue, double.MaxValue];
                    var total = Stopwatch.StartNew();
                    for (int n = 0; n < 4 || total.Elapsed.TotalSeconds < budget / 3; n++)
                        for (int k = 0; k < 2; k++)
                        {
                            set(k == 0);
                            double ms = once();
                            if (n > 0) best[k] = Math.Min(best[k], ms); // the first of each warms up
                        }
                    x.RequiresGrad = false; w.RequiresGrad = false;
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{s.Name} | {name} | {best[0]:F2} | {best[1]:F2} | {best[0] / best[1]:F2}"));
                }
            }
        }
        finally { set(true); }
    }

    private static readonly bool Wall = Environment.GetEnvironmentVariable("AVER_CONV_CLOCK") == "wall";

    private static double Now() => Wall ? Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency : CpuTime.ProcessMs();

    private static Tensor NoGrad(Func<Tensor> f) { using var _ = GradMode.NoGrad(); return f(); }

    /// <summary>Best CPU ms of <paramref name="f"/> over at least 3 runs and about <paramref name="seconds"/>.</summary>
    private static double Best(Action f, double seconds)
    {
        f();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int n = 0; n < 3 || total.Elapsed.TotalSeconds < seconds; n++)
        {
            double t = Now();
            f();
            best = Math.Min(best, Now() - t);
        }
        return best;
    }

    /// <summary>Best ms of the backward pass alone (the forward that builds the graph is not timed).</summary>
    private static double BestBackward(Func<Tensor> forward, Tensor gy, double seconds)
    {
        forward().Backward(gy);
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int n = 0; n < 3 || total.Elapsed.TotalSeconds < seconds; n++)
        {
            var y = forward();
            double t = Now();
            y.Backward(gy);
            best = Math.Min(best, Now() - t);
        }
        return best;
    }
}
