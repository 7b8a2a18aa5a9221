using Aver.Models.Spec;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Training.Experiments;

/// <summary>One modality's branch (MRPN eq. 1): ResNet-18 width, input channels, aggregator and where its extractor starts from.</summary>
/// <param name="Width">ResNet-18 width of F_m (64 in the paper).</param>
/// <param name="Channels">Input channels of a step: 1 for spectrograms and grey faces, 3 for RGB faces.</param>
/// <param name="Hidden">Aggregator size (LSTM hidden units or Transformer d_model).</param>
/// <param name="ExtractorInit">A saved ResNet-18 to start F_m from (its fc is dropped), or null.</param>
public sealed record BranchSettings(int Width = 16, int Channels = 1, AggregatorKind Aggregator = AggregatorKind.Lstm, int Hidden = 128, string? ExtractorInit = null,
    ResNetStem Stem = ResNetStem.ImageNet)
{
    /// <summary>The branch's network as data (the extractor's start is a training matter, not part of the model).</summary>
    public BranchArchitecture Architecture => new(Width, Channels, Aggregator, Hidden, Stem);

    /// <summary>
    /// The stem of a saved ResNet-18 from its file's metadata (its model spec's architecture; <paramref name="path"/> names
    /// it in errors), so an extractor started from it is built alike; ImageNet's for a file without a spec.
    /// </summary>
    public static ResNetStem StemOf(IReadOnlyDictionary<string, string> meta, string path)
    {
        if (!ModelSpec.IsIn(meta)) return ResNetStem.ImageNet;
        var spec = ModelSpec.FromMetadata(meta, path);
        return spec.Family == ResNetArchitecture.Family ? spec.ArchitectureAs<ResNetArchitecture>(path).Stem : ResNetStem.ImageNet;
    }
}

/// <summary>
/// MRPN's networks for training: built by <see cref="MrpnArchitecture"/> (the one builder, which
/// prediction uses too), then the training matters — extractors started from saved ResNet-18s (MRPN
/// §5.2: the visual CNN from FER2013) and trained unimodal branches moved into a fusion network (late fusion).
/// </summary>
public static class MrpnModels
{
    /// <summary>AM or VM (the same network; the name matters only in a saved spec): the branch, FeatureNorm and Scoring (eq. 3).</summary>
    public static UnimodalNetwork Unimodal(BranchSettings s, int scoringHidden, int classes, float dropout, RandomStream rng)
    {
        var network = (UnimodalNetwork)MrpnArchitecture.AudioOnly(s.Architecture, scoringHidden, dropout).Build(classes, rng);
        StartExtractor(network.Branch, s);
        return network;
    }

    /// <summary>N0, N1 or N2 over a visual and an audio branch.</summary>
    public static MrpnNetwork Fusion(BranchSettings visual, BranchSettings audio, FusionVariant variant, int scoringHidden, int classes, float dropout, RandomStream rng)
    {
        var network = (MrpnNetwork)MrpnArchitecture.Fusion(variant, visual.Architecture, audio.Architecture, scoringHidden, dropout).Build(classes, rng);
        StartExtractor(network.Visual, visual);
        StartExtractor(network.Audio, audio);
        return network;
    }

    private static void StartExtractor(ModalityBranch branch, BranchSettings s)
    {
        if (s.ExtractorInit is not null) LoadExtractor(branch.Extractor, s.ExtractorInit);
    }

    /// <summary>
    /// Starts an extractor from a saved ResNet-18 (e.g. <c>aver pretrain</c>'s output): its <c>fc</c> is
    /// dropped; any missing or mis-shaped tensor is an error naming the file. A 1-channel file (FER2013's
    /// grey faces) loaded into a 3-channel extractor has its first convolution spread over R, G and B,
    /// each taking a third of the weights, so an RGB image of a grey face gives the pre-trained response.
    /// </summary>
    public static void LoadExtractor(ResNet18 extractor, string path)
    {
        var file = SafeTensors.Load(path);
        var tensors = new Dictionary<string, Tensor>(file.Tensors, StringComparer.Ordinal);
        const string first = "conv1.weight";
        var own = extractor.StateDict().First(kv => kv.Key == first).Value;
        if (tensors.TryGetValue(first, out var w) && w.Rank == 4 && w.Dim(1) == 1 && own.Dim(1) > 1 && w.Dim(0) == own.Dim(0))
            tensors[first] = SpreadChannels(w, own.Dim(1));
        var result = extractor.LoadStateDict(tensors, strict: false, source: path);
        if (result.Missing.Count > 0)
            throw new StateDictException($"{path} does not hold a ResNet-18 extractor of this size: {result}");
    }

    /// <summary>[O, 1, k, k] weights as [O, C, k, k], each channel a 1/C share.</summary>
    public static Tensor SpreadChannels(Tensor w, int channels)
    {
        int o = w.Dim(0), k = w.Dim(2) * w.Dim(3);
        var x = new Tensor(o, channels, w.Dim(2), w.Dim(3));
        for (int i = 0; i < o; i++)
            for (int c = 0; c < channels; c++)
                for (int j = 0; j < k; j++) x.Data[(i * channels + c) * k + j] = w.Data[i * k + j] / channels;
        return x;
    }

    /// <summary>
    /// Late fusion: copies the branch (F_m, A_m) of a trained AM or VM network saved at <paramref name="path"/>
    /// into <paramref name="target"/>; the unimodal FeatureNorm and Scoring stay behind (the fusion network has its own).
    /// </summary>
    public static void LoadBranch(ModalityBranch target, string path)
    {
        const string prefix = "branch.";
        var file = SafeTensors.Load(path);
        var branch = file.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
        if (branch.Count == 0) throw new StateDictException($"{path} holds no unimodal network (no '{prefix}*' tensors)");
        target.LoadStateDict(branch, strict: true, source: path);
    }
}
