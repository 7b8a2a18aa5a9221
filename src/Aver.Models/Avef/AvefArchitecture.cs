using System.Text.Json.Serialization;
using Aver.Tensors;

namespace Aver.Models.Avef;

/// <summary>
/// An AVEF segment model as data (§2.2): the audio-network, the visual-network (null for audio-only
/// AVEF) and the DBN's hidden layers. The family "avef" of <see cref="Spec.ModelRegistry"/>: training
/// and prediction build every AVEF network through <see cref="Build"/>.
/// </summary>
public sealed record AvefArchitecture(AudioNetConfig Audio, VisualNetConfig? Visual, IReadOnlyList<int> DbnHidden)
{
    public const string Family = "avef";

    [JsonIgnore] public bool AudioVisual => Visual is not null;

    /// <summary>A fresh segment model for <paramref name="classes"/> classes (both networks' class counts replaced), initialised from <paramref name="rng"/>.</summary>
    public IAvefSegmentModel Build(int classes, RandomStream rng)
    {
        var audio = Audio with { Classes = classes };
        return Visual is null
            ? new AvefAudioNetwork(new AvefAudioConfig(audio, DbnHidden), rng)
            : new AvefNetwork(new AvefConfig(audio, Visual with { Classes = classes }, DbnHidden), rng);
    }
}
