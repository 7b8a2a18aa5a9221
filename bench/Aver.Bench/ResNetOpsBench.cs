using System.Diagnostics;
using System.Globalization;
using Aver.Tensors;
using Aver.Tensors.Native;
using Aver.Tensors.Nn;

namespace Aver.Bench;

/// <summary>
/// ResNet-18's operations other than convolution, on the benches' shapes (3x112x112 input): the
/// stem's batch norm, ReLU and max pool, and per basic block batch norm + ReLU, batch norm + the
/// shortcut + ReLU, and the downsample's batch norm, called as <c>ResNet18</c> calls them. Random
/// tensors stand in for the convolution outputs. Process CPU ms per batch, best of the repeats:
/// inference at batch 32 (eval, no gradients) and training at batch 16 (train mode, forward and
/// backward of every op, each output seeded with a gradient of ones). The PyTorch side is
/// <c>bench/torch_bench.py resnet-ops</c>.
/// </summary>
internal static class ResNetOpsBench
{
    private static readonly (int Channels, int Size)[] Stages = [(64, 28), (128, 14), (256, 7), (512, 4)];

    public static void Run(double seconds, TextWriter output)
    {
        double inference = Best(Build(32, training: false), seconds / 2);
        double training = Best(Build(16, training: true), seconds / 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resnet-ops (bn, relu, add, max pool) | inference 32: {inference:F1} CPU ms | training 16: {training:F1} CPU ms"));
    }

    private static Action Build(int batch, bool training)
    {
        var rng = new RandomStream(0);
        // One stand-in per convolution output, so no input collects gradients from two ops.
        Tensor Act(int c, int size) => Tensor.Normal(rng, 0f, 1f, batch, c, size, size).RequireGrad(training);
        var stem = Act(64, 56);
        var stemBn = new BatchNorm2d(64);
        var pool = new MaxPool2d(3, stride: 2, padding: 1);
        var blocks = new List<(BatchNorm2d Bn1, BatchNorm2d Bn2, BatchNorm2d? Down, Tensor X1, Tensor X2, Tensor? XDown, Tensor Shortcut)>();
        for (int i = 0; i < Stages.Length; i++)
        {
            var (c, s) = Stages[i];
            for (int b = 0; b < 2; b++)
            {
                bool down = i > 0 && b == 0;
                blocks.Add((new BatchNorm2d(c), new BatchNorm2d(c), down ? new BatchNorm2d(c) : null,
                    Act(c, s), Act(c, s), down ? Act(c, s) : null, Act(c, s)));
            }
        }
        var modules = new List<Module> { stemBn };
        foreach (var blk in blocks) { modules.Add(blk.Bn1); modules.Add(blk.Bn2); if (blk.Down is not null) modules.Add(blk.Down); }
        foreach (var m in modules) m.Train(training);
        var leaves = new List<Tensor> { stem };
        foreach (var blk in blocks) { leaves.Add(blk.X1); leaves.Add(blk.X2); leaves.Add(blk.Shortcut); if (blk.XDown is not null) leaves.Add(blk.XDown); }
        var ones = new Dictionary<int, Tensor>();

        return () =>
        {
            var outputs = new List<Tensor>();
            using (training ? null : (IDisposable)GradMode.NoGrad())
            {
                outputs.Add(pool.Forward(stemBn.ForwardRelu(stem)));
                foreach (var blk in blocks)
                {
                    outputs.Add(blk.Bn1.ForwardRelu(blk.X1));
                    var shortcut = blk.Down is null ? blk.Shortcut : blk.Down.Forward(blk.XDown!);
                    outputs.Add(blk.Bn2.ForwardAddRelu(blk.X2, shortcut));
                }
            }
            if (!training) return;
            foreach (var y in outputs)
            {
                if (!ones.TryGetValue(y.Size, out var g)) ones[y.Size] = g = Tensor.Ones(y.Shape.ToArray());
                y.Backward(g);
            }
            foreach (var x in leaves) x.ZeroGrad();
        };
    }

    private static double Best(Action step, double seconds)
    {
        step();
        step();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int n = 0; n < 3 || total.Elapsed.TotalSeconds < seconds; n++)
        {
            double t = CpuTime.ProcessMs();
            step();
            best = Math.Min(best, CpuTime.ProcessMs() - t);
        }
        return best;
    }
}
