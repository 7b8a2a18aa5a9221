using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Inference.Mrpn;

/// <summary>One clip's MRPN answer: the softmax of the whole clip, and of each requested window of it.</summary>
/// <param name="Probabilities">Per class of <see cref="MrpnBundle.Labels"/>, summing to 1 (s_m of AM/VM, s_va of N0/N1/N2).</param>
/// <param name="Windows">Per window: its [start, end) and the network's softmax on that slice of the clip alone.</param>
/// <param name="Segments">Spectrogram segments of the whole clip (0 for VM).</param>
/// <param name="Frames">Face frames of the whole clip (0 for AM).</param>
public sealed record MrpnPrediction(float[] Probabilities, IReadOnlyList<(TimeInterval Time, float[] Probabilities)> Windows, int Segments, int Frames);

/// <summary>
/// A trained MRPN network read from its model file: AM or VM (<see cref="UnimodalNetwork"/>) or N0/N1/N2
/// (<see cref="MrpnNetwork"/>), rebuilt by <see cref="ModelRegistry"/> from the file's <see cref="ModelSpec"/>
/// (family "mrpn"), with the front ends it was trained with (<see cref="MrpnFrontEnds"/>). Files of the
/// earlier flat-key layout (mrpn_version 1) are read through <see cref="MrpnV1Metadata"/>. <see cref="Predict(string, Func{FaceTracker}?, IReadOnlyList{TimeInterval}?)"/> runs a clip
/// through the training pipelines (<see cref="MrpnAudioPipeline"/>, <see cref="MrpnVideoPipeline"/>) without augmentation, as
/// the test clips of a fold are run. Windows are slices of the clip, like the slices of MRPN's time augmentation
/// (§4.4 items 2 and 4), so the network answers per window too. This is what <c>aver predict</c> registers as the "mrpn" format.
/// </summary>
public sealed class MrpnBundle
{
    public const string Format = MrpnArchitecture.Family;

    /// <summary>Windows are run this many at a time (bounds the memory of a long clip's timeline).</summary>
    private const int WindowBatch = 16;

    public Module Network { get; }
    public ModelSpec Spec { get; }
    public MrpnArchitecture Architecture { get; }
    public MrpnFrontEnds FrontEnds { get; }
    public LabelSpace Labels { get; }

    private MrpnBundle(Module network, ModelSpec spec, string source)
    {
        Network = network;
        Spec = spec;
        Architecture = spec.ArchitectureAs<MrpnArchitecture>(source);
        FrontEnds = MrpnFrontEnds.FromSpec(spec.FrontEnds, source);
        if ((FrontEnds.Audio is null) == Architecture.HasAudio || (FrontEnds.Video is null) == Architecture.HasVisual)
            throw new InvalidDataException($"{source}: its front ends ({string.Join(", ", spec.FrontEnds.Keys)}) do not match the MRPN {Architecture.Network} network");
        var names = spec.Labels.Names;
        Labels = LabelSpaces.Find(spec.Labels.Space) is { } known && known.Names.SequenceEqual(names) ? known : new LabelSpace(spec.Labels.Space, names);
        network.Eval();
    }

    /// <summary>AM, VM, N0, N1 or N2.</summary>
    public string Name => Architecture.Network;
    public bool NeedsAudio => Architecture.HasAudio;
    public bool NeedsFaces => Architecture.HasVisual;

    /// <summary>Reads an MRPN model file; problems name the file.</summary>
    public static MrpnBundle Load(string path) => Load(SafeTensors.Load(path), path);

    /// <summary>Builds a bundle from a loaded file (<paramref name="source"/> names it in errors).</summary>
    /// <exception cref="InvalidDataException">The spec is missing or unreadable, or the tensors do not fit the network it describes.</exception>
    public static MrpnBundle Load(SafeTensorsFile file, string source)
    {
        var spec = ModelSpec.IsIn(file.Metadata) ? ModelSpec.FromMetadata(file.Metadata, source) : MrpnV1Metadata.ToSpec(file.Metadata, source);
        if (spec.Family != Format) throw new InvalidDataException($"{source}: a '{spec.Family}' model, not an MRPN one");
        return new MrpnBundle(ModelRegistry.Load(spec, file.Tensors, source), spec, source);
    }

    /// <summary>The audio front end the network was trained with.</summary>
    public MrpnAudioPipeline AudioPipeline() => FrontEnds.AudioPipeline() ?? throw new InvalidOperationException($"the MRPN {Name} network has no audio front end");

    /// <summary>The face front end the network was trained with (no augmentation, no disk cache); <paramref name="tracker"/> finds the faces.</summary>
    public MrpnVideoPipeline VideoPipeline(Func<FaceTracker>? tracker = null) => FrontEnds.VideoPipeline(tracker) ?? throw new InvalidOperationException($"the MRPN {Name} network has no face front end");

    /// <summary>
    /// Predicts the clip at <paramref name="path"/>: its audio (AM, N0-N2) decoded at the bundle's rate, its faces
    /// (VM, N0-N2) tracked by <paramref name="tracker"/> (BlazeFace by default); the whole clip and each of <paramref name="windows"/>.
    /// </summary>
    public MrpnPrediction Predict(string path, Func<FaceTracker>? tracker = null, IReadOnlyList<TimeInterval>? windows = null)
    {
        var audio = NeedsAudio ? MediaDecoder.ReadAudio(path, FrontEnds.Audio!.SampleRate) : null;
        var faces = NeedsFaces ? VideoPipeline(tracker).Faces(path) : null;
        return Predict(audio, faces, windows);
    }

    /// <summary>Predicts from a clip's decoded audio and face crops (each required when the network has that modality).</summary>
    public MrpnPrediction Predict(AudioBuffer? audio, MrpnFaceClip? faces, IReadOnlyList<TimeInterval>? windows = null)
    {
        if (NeedsAudio && audio is null) throw new ArgumentException($"the MRPN {Name} network needs the clip's audio");
        if (NeedsFaces && faces is null) throw new ArgumentException($"the MRPN {Name} network needs the clip's face crops");
        var audioPipeline = NeedsAudio ? AudioPipeline() : null;
        var videoPipeline = NeedsFaces ? VideoPipeline() : null;
        (Tensor? Segments, Tensor? Frames) Input(TimeInterval? slice) =>
            (audioPipeline?.Segments(audio!, slice).Spectrograms, videoPipeline?.Frames(faces!, slice));

        // The whole clip alone, as a fold's test clips are run; then the windows in batches.
        var whole = Input(null);
        var clip = Probabilities([whole])[0];
        var answers = new List<(TimeInterval, float[])>();
        windows ??= [];
        for (int first = 0; first < windows.Count; first += WindowBatch)
        {
            var chunk = windows.Skip(first).Take(WindowBatch).ToList();
            var p = Probabilities(chunk.Select(w => Input(w)).ToList());
            for (int i = 0; i < chunk.Count; i++) answers.Add((chunk[i], p[i]));
        }
        return new MrpnPrediction(clip, answers, whole.Segments?.Dim(0) ?? 0, whole.Frames?.Dim(0) ?? 0);
    }

    /// <summary>The softmax of each clip input, run as one padded batch in evaluation mode.</summary>
    private float[][] Probabilities(IReadOnlyList<(Tensor? Segments, Tensor? Frames)> inputs)
    {
        using var _ = GradMode.NoGrad();
        Tensor scores;
        if (Network is MrpnNetwork fusion)
        {
            var frames = SequenceBatch.Pad(inputs.Select(x => x.Frames!).ToList());
            var segments = SequenceBatch.Pad(inputs.Select(x => x.Segments!).ToList());
            scores = fusion.Forward(new AudioVisualBatch(frames.Steps, frames.Lengths, segments.Steps, segments.Lengths)).Fused;
        }
        else
        {
            var steps = SequenceBatch.Pad(inputs.Select(x => (NeedsAudio ? x.Segments : x.Frames)!).ToList());
            scores = ((UnimodalNetwork)Network).Forward(steps.Steps, steps.Lengths);
        }
        var p = scores.Softmax(1);
        int c = Labels.Count;
        return Enumerable.Range(0, inputs.Count).Select(i => p.Data.AsSpan(i * c, c).ToArray()).ToArray();
    }
}
