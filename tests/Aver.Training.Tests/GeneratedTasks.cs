using Aver.Data.Labels;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;

namespace Aver.Training.Tests;

/// <summary>Small generated problems and models for trainer tests.</summary>
internal static class GeneratedTasks
{
    public static readonly LabelSpace Quadrants = new("quadrants", ["top-left", "top-right", "bottom-left", "bottom-right"]);

    /// <summary>
    /// [n, 1, size, size] noise images with a bright 3x3 square placed at random inside one quadrant;
    /// the class is the quadrant.
    /// </summary>
    public static TensorExampleSet BrightSquares(int n, ulong seed, int size = 12, bool augment = false)
    {
        var rng = new RandomStream(seed);
        var data = new float[n * size * size];
        var labels = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++)
        {
            int c = i % 4;
            labels[i] = c;
            var img = data.AsSpan(i * size * size, size * size);
            rng.FillNormal(img, 0f, 0.3f);
            int x0 = (c % 2) * half + rng.NextInt(half - 2), y0 = (c / 2) * half + rng.NextInt(half - 2);
            for (int y = y0; y < y0 + 3; y++)
                for (int x = x0; x < x0 + 3; x++) img[y * size + x] += 2f;
        }
        Func<Tensor, RandomStream, Tensor>? aug = augment ? AddNoise : null;
        return new TensorExampleSet(new Tensor(data, n, 1, size, size), labels, Quadrants, aug);
    }

    /// <summary>Augmentation for tests: a little Gaussian noise, drawn from the augmentation stream.</summary>
    private static Tensor AddNoise(Tensor x, RandomStream rng)
    {
        var noise = new float[x.Size];
        rng.FillNormal(noise, 0f, 0.1f);
        return x + new Tensor(noise, x.Shape.ToArray());
    }

    /// <summary>Conv-BN-ReLU-pool twice, dropout, then a dense layer: [N, 1, 12, 12] -> [N, 4].</summary>
    public static Sequential SmallCnn(ulong seed, int size = 12)
    {
        var rng = new RandomStream(seed);
        int s = size / 4;
        return new Sequential(
            new Conv2d(1, 8, 3, padding: 1, rng: rng.Fork("conv1")), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1, rng: rng.Fork("conv2")), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
            new Lambda(x => x.Flatten(1)), new Dropout(0.2f, rng.Fork("dropout")),
            new Linear(16 * s * s, 4, rng: rng.Fork("fc")));
    }
}
