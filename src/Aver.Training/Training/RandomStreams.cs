using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Training;

/// <summary>
/// The random streams of a run, derived from its seed and the epoch number alone (DESIGN.md: separate
/// streams for shuffling, augmentation and dropout). Because nothing carries over from one epoch to
/// the next, a resumed run draws exactly what an uninterrupted one would.
/// </summary>
public sealed class RandomStreams(ulong seed)
{
    private readonly RandomStream _root = new(seed);

    public ulong Seed { get; } = seed;

    /// <summary>The order of training examples in <paramref name="epoch"/>.</summary>
    public RandomStream Shuffle(int epoch) => _root.Fork("shuffle", epoch);

    /// <summary>The augmentation draws of <paramref name="epoch"/>.</summary>
    public RandomStream Augment(int epoch) => _root.Fork("augment", epoch);

    /// <summary>The draws of a task's own training-time randomness (mixup) in <paramref name="epoch"/>.</summary>
    public RandomStream Task(int epoch) => _root.Fork("task", epoch);

    /// <summary>
    /// Gives every dropout site of <paramref name="model"/> (Dropout modules, LSTM inter-layer dropout,
    /// attention dropout) its own stream for <paramref name="epoch"/>, named by the module's path.
    /// </summary>
    public void SeedDropout(Module model, int epoch)
    {
        var dropout = _root.Fork("dropout");
        foreach (var (name, m) in model.NamedModules())
        {
            switch (m)
            {
                case Dropout d: d.Generator = dropout.Fork(name, epoch); break;
                case LSTM l: l.DropoutGenerator = dropout.Fork(name, epoch); break;
                case MultiheadAttention a: a.DropoutGenerator = dropout.Fork(name, epoch); break;
            }
        }
    }
}
