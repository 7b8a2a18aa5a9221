using System.Text.Json;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>The architecture of an <see cref="AvefAudioNetwork"/>: the audio-network and the DBN's hidden layers (its input is audio fc7).</summary>
public sealed record AvefAudioConfig(AudioNetConfig Audio, IReadOnlyList<int> DbnHidden)
{
    /// <summary>The name stored as <c>architecture</c> in a model file's metadata.</summary>
    public const string Architecture = "avef-audio";

    public int Classes => Audio.Classes;

    /// <summary>The DBN's shape: fc7-hidden...-C.</summary>
    public DbnConfig Dbn => new(Audio.FcSize, DbnHidden, Audio.Classes);

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Parses <see cref="ToJson"/>'s output; <paramref name="source"/> names the file in errors.</summary>
    public static AvefAudioConfig FromJson(string json, string source = "AVEF audio config")
    {
        try
        {
            return JsonSerializer.Deserialize<AvefAudioConfig>(json) ?? throw new InvalidDataException($"{source}: empty AVEF audio config");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: invalid AVEF audio config ({e.Message})", e);
        }
    }
}

/// <summary>
/// Audio-only AVEF (the unimodal rows of AVEF Tables 4-5 taken through the whole pipeline): the
/// audio-network A(a; θ^A) and a DBN over its fc7 features, trained as one model like
/// <see cref="AvefNetwork"/>; clip fusion (average pooling + SVM) follows in the same way.
/// Children: <c>audio</c>, <c>dbn</c> (the same names as in <see cref="AvefNetwork"/>, so trunks transfer between them).
/// </summary>
public sealed class AvefAudioNetwork : Module, IAvefSegmentModel
{
    public AudioNet Audio { get; }
    public DeepBeliefNetwork Dbn { get; }
    public VisualNet? Visual => null;
    public Module Module => this;

    public AvefAudioNetwork(AudioNet audio, DeepBeliefNetwork dbn)
    {
        if (dbn.Config.InputSize != audio.FeatureSize)
            throw new ArgumentException($"AvefAudioNetwork: the DBN takes {dbn.Config.InputSize} inputs, the audio-network gives {audio.FeatureSize}");
        if (audio.Classes != dbn.Config.Classes)
            throw new ArgumentException($"AvefAudioNetwork: class counts differ (audio {audio.Classes}, DBN {dbn.Config.Classes})");
        Audio = RegisterModule("audio", audio);
        Dbn = RegisterModule("dbn", dbn);
    }

    /// <summary>Builds both parts of <paramref name="config"/> from streams forked off <paramref name="rng"/> (the same forks as <see cref="AvefNetwork"/>).</summary>
    public AvefAudioNetwork(AvefAudioConfig config, RandomStream rng)
        : this(new AudioNet(config.Audio, rng.Fork("audio")), new DeepBeliefNetwork(config.Dbn, rng.Fork("dbn")))
    { }

    public AvefAudioConfig Config => new(Audio.Config, Dbn.Config.HiddenSizes);

    /// <summary>audio fc7 [N, FcSize] of segments [N, 3, 64, 64]; <paramref name="visual"/> must be null.</summary>
    public Tensor SegmentFeatures(Tensor audio, Tensor? visual = null) => Audio.Features(CheckAudioOnly(audio, visual));

    /// <summary>The forward pass on segments [N, 3, 64, 64]; <see cref="AvefOutput.VisualScores"/> is null.</summary>
    public AvefOutput Forward(Tensor audio, Tensor? visual = null)
    {
        var fa = Audio.Features(CheckAudioOnly(audio, visual));
        var (scores, fused) = Dbn.ForwardWithFeatures(fa);
        return new AvefOutput(scores, fused, Audio.Scores(fa), null);
    }

    private static Tensor CheckAudioOnly(Tensor audio, Tensor? visual) =>
        visual is null ? audio : throw new ArgumentException("AvefAudioNetwork takes audio segments only; use AvefNetwork for faces");

    public void SaveModel(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        AvefModelFile.Save(this, path, AvefAudioConfig.Architecture, Config.ToJson(), metadata);

    /// <summary>Rebuilds a network saved by <see cref="SaveModel"/> from the file alone; returns it with the file's metadata.</summary>
    public static (AvefAudioNetwork Network, IReadOnlyDictionary<string, string> Metadata) FromFile(string path) => AvefModelFile.Load<AvefAudioNetwork>(path);

    /// <summary>Transfer across corpora (§2.2): copies the audio trunk from <paramref name="path"/> (an audio-only or audio-visual AVEF model), re-initialises fc6-fc8 and the DBN.</summary>
    public void StartTransfer(string path, RandomStream rng, bool freezeShallow = true)
    {
        AvefInit.LoadShallow(this, Audio.ShallowModules, path);
        Audio.ResetDeepLayers(rng.Fork("audio"));
        Dbn.ResetDeepLayers(rng.Fork("dbn"));
        Audio.FreezeShallowLayers(freezeShallow);
    }

    public override Module Train(bool training = true)
    {
        base.Train(training);
        Audio.Train(training); // re-applies a frozen trunk's evaluation mode
        return this;
    }
}
