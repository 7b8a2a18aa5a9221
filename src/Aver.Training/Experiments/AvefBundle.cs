using System.Globalization;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Avef;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Models.Avef;
using Aver.Models.Svm;
using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Training.Experiments;

/// <summary>How a bundle turns a clip into segments: the same settings the model was trained with.</summary>
/// <param name="Case">1: every segment; 2: VAD drops silent ones.</param>
/// <param name="FaceSize">Face crop side (audio-visual bundles).</param>
/// <param name="Gray">Grayscale faces.</param>
/// <param name="Fps">Decoding rate of the faces (null: the clip's own).</param>
public sealed record AvefBundleSettings(int Case = 1, double MinSpeechFraction = 0.5, bool Standardize = true, int FaceSize = 64, bool Gray = false, double? Fps = null);

/// <summary>One clip's AVEF answer: clip probabilities (the SVM's, §2.2.4) and each kept segment's DBN probabilities.</summary>
/// <param name="Probabilities">Per class of <see cref="AvefBundle.Labels"/>, summing to 1.</param>
/// <param name="Segments">Per kept segment: its [start, end) and the DBN softmax.</param>
/// <param name="TotalSegments">Segments before VAD selection.</param>
public sealed record AvefPrediction(float[] Probabilities, IReadOnlyList<(TimeInterval Time, float[] Probabilities)> Segments, int TotalSegments);

/// <summary>
/// A trained AVEF model as one safetensors file (<c>format</c> = avef): the segment model's weights with
/// its architecture (<see cref="AvefNetwork"/> or <see cref="AvefAudioNetwork"/>), the clip-level LIBSVM model
/// (its text format in the metadata), the label space and the front-end settings. <see cref="Predict"/>
/// runs a clip end to end: segments (VAD in case 2), faces for audio-visual bundles, DBN features
/// averaged over the clip, SVM probabilities. This is what <c>aver predict</c> registers as the "avef" format.
/// </summary>
public sealed class AvefBundle : IDisposable
{
    public const string Format = "avef";

    public IAvefSegmentModel Model { get; }
    public SvmClassifier? Svm { get; }
    public LabelSpace Labels { get; }
    public AvefBundleSettings Settings { get; }

    private AvefBundle(IAvefSegmentModel model, SvmClassifier? svm, LabelSpace labels, AvefBundleSettings settings)
    {
        Model = model;
        Svm = svm;
        Labels = labels;
        Settings = settings;
        model.Module.Eval();
    }

    /// <summary>Writes the bundle atomically; <paramref name="svm"/> null means the training clips held one class (the DBN softmax then answers).</summary>
    public static void Save(string path, IAvefSegmentModel model, SvmClassifier? svm, LabelSpace labels, AvefBundleSettings settings,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var meta = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["format"] = Format,
            ["label_space"] = labels.Name,
            ["labels"] = string.Join(",", labels.Names),
            ["case"] = settings.Case.ToString(CultureInfo.InvariantCulture),
            ["min_speech_fraction"] = settings.MinSpeechFraction.ToString("R", CultureInfo.InvariantCulture),
            ["standardize"] = settings.Standardize ? "true" : "false",
            ["face_size"] = settings.FaceSize.ToString(CultureInfo.InvariantCulture),
            ["face_color"] = settings.Gray ? "gray" : "rgb",
            ["fps"] = settings.Fps?.ToString("R", CultureInfo.InvariantCulture) ?? "native",
        };
        if (svm is not null)
        {
            string temp = Path.Combine(Path.GetTempPath(), $"aver-svm-{Guid.NewGuid():N}.model");
            try { svm.Save(temp); meta["svm"] = File.ReadAllText(temp); }
            finally { File.Delete(temp); }
        }
        model.SaveModel(path, meta);
    }

    /// <summary>Reads a bundle written by <see cref="Save"/>; problems name the file.</summary>
    public static AvefBundle Load(string path) => Load(SafeTensors.Load(path), path);

    /// <summary>Builds a bundle from a loaded file (<paramref name="source"/> names it in errors).</summary>
    public static AvefBundle Load(SafeTensorsFile file, string source)
    {
        var m = file.Metadata;
        string Need(string key) => m.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{source}: AVEF bundle without '{key}' in its metadata");
        if (Need("format") != Format) throw new InvalidDataException($"{source}: format '{m["format"]}' is not an AVEF bundle");
        var model = AvefModelFile.Read(file, source);
        var names = Need("labels").Split(',');
        var labels = LabelSpaces.Find(Need("label_space")) is { } known && known.Names.SequenceEqual(names) ? known : new LabelSpace(Need("label_space"), names);
        if (labels.Count != model.Dbn.Config.Classes)
            throw new InvalidDataException($"{source}: {labels.Count} labels for a network with {model.Dbn.Config.Classes} classes");
        SvmClassifier? svm = null;
        if (m.TryGetValue("svm", out var text))
        {
            string temp = Path.Combine(Path.GetTempPath(), $"aver-svm-{Guid.NewGuid():N}.model");
            try { File.WriteAllText(temp, text); svm = SvmClassifier.Load(temp); }
            finally { File.Delete(temp); }
        }
        var settings = new AvefBundleSettings(
            int.Parse(Need("case"), CultureInfo.InvariantCulture), double.Parse(Need("min_speech_fraction"), CultureInfo.InvariantCulture),
            Need("standardize") == "true", int.Parse(Need("face_size"), CultureInfo.InvariantCulture), Need("face_color") == "gray",
            Need("fps") == "native" ? null : double.Parse(m["fps"], CultureInfo.InvariantCulture));
        return new AvefBundle(model, svm, labels, settings);
    }

    /// <summary>The audio front end of the bundle.</summary>
    public AvefAudioPipeline AudioPipeline => new(new AvefAudioOptions(), Settings.Case == 2 ? SilenceHandling.DropSilent : SilenceHandling.KeepAll,
        Settings.MinSpeechFraction, standardize: Settings.Standardize);

    /// <summary>The visual front end of an audio-visual bundle: faces found by <paramref name="tracker"/>, cropped as in training.</summary>
    public AvefVisualPipeline VisualPipeline(FaceTracker tracker) =>
        new(tracker, new FaceCropOptions { Style = FaceCropStyle.Avef, Size = Settings.FaceSize, Color = Settings.Gray ? ImageColor.Gray : ImageColor.Rgb }, Settings.Fps);

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
