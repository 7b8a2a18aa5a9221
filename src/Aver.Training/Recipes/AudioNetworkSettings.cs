using Aver.Models.Mrpn;
using Aver.Tensors;

namespace Aver.Training.Recipes;

/// <summary>
/// The default model's audio branch: MRPN's audio network (AM, Table 1) over spectrogram segments pooled by
/// <paramref name="Pool"/>.
/// </summary>
/// <param name="Width">ResNet-18 width of F_a (64 in the paper).</param>
/// <param name="Pool">Average-pooling factor of the 256 x 250 spectrograms (1 = the paper's size).</param>
/// <param name="Hidden">Aggregator size (LSTM hidden units or Transformer d_model).</param>
/// <param name="ScoringHidden">Hidden units of the Scoring component (eq. 2).</param>
public sealed record AudioNetworkSettings(int Width = 16, int Pool = 2, AggregatorKind Aggregator = AggregatorKind.Lstm,
    int Hidden = 128, int ScoringHidden = 64, float Dropout = 0.3f)
{
    /// <summary>The AM as data (the registry's "mrpn" family).</summary>
    public MrpnArchitecture Architecture => MrpnArchitecture.AudioOnly(new BranchArchitecture(Width, Channels: 1, Aggregator, Hidden), ScoringHidden, Dropout);

    /// <summary>A freshly initialised AM with <paramref name="classes"/> outputs.</summary>
    public UnimodalNetwork Build(int classes, RandomStream rng) => (UnimodalNetwork)Architecture.Build(classes, rng);
}
