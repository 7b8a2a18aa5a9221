using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Avef;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Models.Avef;
using Aver.Models.Spec;
using Aver.Models.Svm;
using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Inference.Avef;

/// <summary>One clip's AVEF answer: clip probabilities (the SVM's, §2.2.4) and each kept segment's DBN probabilities.</summary>
/// <param name="Probabilities">Per class of <see cref="AvefBundle.Labels"/>, summing to 1.</param>
/// <param name="Segments">Per kept segment: its [start, end) and the DBN softmax.</param>
/// <param name="TotalSegments">Segments before VAD selection.</param>
public sealed record AvefPrediction(float[] Probabilities, IReadOnlyList<(TimeInterval Time, float[] Probabilities)> Segments, int TotalSegments);

/// <summary>
/// A trained AVEF model read from its model file (spec family "avef"): the segment model rebuilt by
/// <see cref="ModelRegistry"/>, the clip-level LIBSVM model (the spec's "svm" component), the label space
/// and the front ends it was trained with (<see cref="AvefFrontEnds"/>). <see cref="Predict(string, FaceTracker?)"/>
/// runs a clip end to end: segments (VAD in case 2), faces for audio-visual models, DBN features
/// averaged over the clip, SVM probabilities. Files of the earlier flat-key layout load through <see cref="AvefV1Metadata"/>.
/// </summary>
public sealed class AvefBundle : IDisposable
{
    public const string Format = AvefArchitecture.Family;

    /// <summary>The spec component that holds the clip SVM in LIBSVM's text format.</summary>
    public const string SvmComponent = "svm";

    public IAvefSegmentModel Model { get; }
    public SvmClassifier? Svm { get; }
    public LabelSpace Labels { get; }
    public AvefFrontEnds FrontEnds { get; }

    private AvefBundle(IAvefSegmentModel model, SvmClassifier? svm, LabelSpace labels, AvefFrontEnds frontEnds)
    {
        Model = model;
        Svm = svm;
        Labels = labels;
        FrontEnds = frontEnds;
        model.Module.Eval();
    }

    /// <summary>Reads an AVEF model file; problems name the file.</summary>
    public static AvefBundle Load(string path) => Load(SafeTensors.Load(path), path);

    /// <summary>Builds a bundle from a loaded file (<paramref name="source"/> names it in errors).</summary>
    public static AvefBundle Load(SafeTensorsFile file, string source)
    {
        var spec = ModelSpec.IsIn(file.Metadata) ? ModelSpec.FromMetadata(file.Metadata, source) : AvefV1Metadata.ToSpec(file.Metadata, source);
        if (spec.Family != Format) throw new InvalidDataException($"{source}: a '{spec.Family}' model, not an AVEF one");
        var model = (IAvefSegmentModel)ModelRegistry.Load(spec, file.Tensors, source);
        var names = spec.Labels.Names;
        var labels = LabelSpaces.Find(spec.Labels.Space) is { } known && known.Names.SequenceEqual(names) ? known : new LabelSpace(spec.Labels.Space, names);
        var frontEnds = AvefFrontEnds.FromSpec(spec.FrontEnds, source);
        if (model.Visual is not null && !spec.FrontEnds.ContainsKey(AvefFrontEnds.FaceName))
            throw new InvalidDataException($"{source}: an audio-visual AVEF model without a face front end");
        var svm = spec.Components?.TryGetValue(SvmComponent, out var text) == true ? SvmClassifier.FromText(text, source) : null;
        return new AvefBundle(model, svm, labels, frontEnds);
    }

    /// <summary>The audio front end of the bundle.</summary>
    public AvefAudioPipeline AudioPipeline => FrontEnds.AudioPipeline();

    /// <summary>The visual front end of an audio-visual bundle: faces found by <paramref name="tracker"/>, cropped as in training.</summary>
    public AvefVisualPipeline VisualPipeline(FaceTracker tracker) => FrontEnds.VisualPipeline(tracker);

    /// <summary>
    /// Predicts the clip at <paramref name="path"/>. An audio-visual bundle needs <paramref name="tracker"/>
    /// (BlazeFace) to find the faces; a clip without a face then throws a <see cref="MediaException"/>.
    /// </summary>
    public AvefPrediction Predict(string path, FaceTracker? tracker = null)
    {
        var audio = AudioPipeline.Segments(path);
        Tensor? faces = null;
        if (Model.Visual is not null)
        {
            if (tracker is null) throw new ArgumentException($"{path}: the AVEF bundle is audio-visual and needs a face tracker");
            faces = VisualPipeline(tracker).Segments(path, audio.Times);
        }
        return Predict(audio, faces);
    }

    /// <summary>Predicts from a clip's segments (and its aligned faces for an audio-visual bundle).</summary>
    public AvefPrediction Predict(AvefClipAudio audio, Tensor? faces)
    {
        using var _ = GradMode.NoGrad();
        var o = Model.Forward(audio.Stacks, faces);
        var segmentProbabilities = o.Scores.Softmax(1);
        int c = Labels.Count, s = audio.Count;
        var segments = new List<(TimeInterval, float[])>(s);
        for (int i = 0; i < s; i++) segments.Add((audio.Times[i], segmentProbabilities.Data.AsSpan(i * c, c).ToArray()));
        var pooled = ClipPooling.Average(o.Fused, [s]);
        float[] clip;
        if (Svm is { HasProbability: true })
        {
            // The SVM's columns are the class indices it saw, ascending; classes it never saw get 0.
            var p = Svm.PredictProbabilities(pooled);
            clip = new float[c];
            for (int j = 0; j < Svm.Labels.Count; j++) clip[Svm.Labels[j]] = p.Data[j];
        }
        else clip = ClipPooling.Average(segmentProbabilities, [s]).Data.ToArray();
        return new AvefPrediction(clip, segments, audio.TotalSegments);
    }

    public void Dispose() => Svm?.Dispose();
}
