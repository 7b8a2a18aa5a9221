using System.Diagnostics;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;
using Aver.Training.Training;

namespace Aver.Cli.Commands;

/// <summary>`aver demo`: trains a small network on a generated task, end to end, to show the engine works here.</summary>
public sealed class DemoCommand : CliCommand
{
    public override string Name => "demo";
    public override string Summary => "train a small network on a generated task (a self-check of the engine)";
    public override string Help => """
        aver demo [--epochs N] [--seed S] [--threads N]

        Trains a two-layer perceptron to separate three interleaved spirals and prints the
        loss and accuracy per epoch.

        Example:
          aver demo --epochs 200 --seed 1
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        int epochs = args.Int("epochs", 300, min: 1);
        ulong seed = args.Seed(1);
        args.EnsureAllUsed();

        var rng = new RandomStream(seed);
        var (x, y) = Spirals(rng.Fork("data"), perClass: 100, classes: 3);
        var init = rng.Fork("init");
        var net = new Sequential(new Linear(2, 64, rng: init), new Lambda(t => t.Relu()), new Linear(64, 3, rng: init));
        var optimizer = new Sgd(net.Parameters(), learningRate: 0.5);
        var sw = Stopwatch.StartNew();
        for (int e = 1; e <= epochs; e++)
        {
            var logits = net.Forward(x);
            var loss = Losses.CrossEntropy(logits, y);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            if (e % Math.Max(1, epochs / 10) == 0 || e == epochs)
                ctx.Out.WriteLine($"epoch {e,4}  loss {loss.Item():F4}  accuracy {Accuracy(logits, y):P1}");
        }
        ctx.Out.WriteLine($"trained in {sw.Elapsed.TotalSeconds:F2} s on {Engine.Threads} threads ({(Blas.UsesOpenBlas ? "OpenBLAS" : "managed matmul")})");
        return 0;
    }

    private static (Tensor X, int[] Labels) Spirals(RandomStream rng, int perClass, int classes)
    {
        var x = new Tensor(perClass * classes, 2);
        var y = new int[perClass * classes];
        for (int c = 0; c < classes; c++)
            for (int i = 0; i < perClass; i++)
            {
                int n = c * perClass + i;
                float r = (float)i / perClass, t = c * 4 + 4 * r + 0.2f * (float)rng.NextNormal();
                x[n, 0] = r * MathF.Sin(t); x[n, 1] = r * MathF.Cos(t);
                y[n] = c;
            }
        return (x, y);
    }

    private static double Accuracy(Tensor logits, int[] labels)
    {
        var predicted = Evaluation.ArgMax(logits);
        int right = 0;
        for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) right++;
        return (double)right / labels.Length;
    }
}
