using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Models.Calibration;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Training.Recipes;

namespace Aver.Inference.Tests;

/// <summary>A small randomly initialised decision-fusion bundle written to a temporary file, for format and pipeline tests.</summary>
internal static class TinyBundle
{
    public static readonly AudioNetworkSettings Audio = new(Width: 2, Pool: 8, Hidden: 8, ScoringHidden: 8);

    /// <param name="visualNetworks">1: one ResNet-18; more: an ensemble of that many (widths 2, 3, ...).</param>
    public static string Write(string folder, IReadOnlyDictionary<string, string>? extra = null, SafeTensorsDType dtype = SafeTensorsDType.F32,
        double audioWeight = 0.4, double visualWeight = 0.6, int visualNetworks = 1)
    {
        Directory.CreateDirectory(folder);
        var labels = LabelSpaces.Fer7;
        var audio = Audio.Build(labels.Count, new RandomStream(1));
        Aver.Tensors.Nn.Module visual = visualNetworks == 1 ? new ResNet18(new ResNetConfig(1, 2, labels.Count), new RandomStream(2))
            : new Aver.Tensors.Nn.Ensemble(Enumerable.Range(0, visualNetworks).Select(i => (Aver.Tensors.Nn.Module)new ResNet18(new ResNetConfig(1, 2 + i, labels.Count), new RandomStream(20 + (ulong)i))));
        var path = Path.Combine(folder, "model.safetensors");
        DecisionFusionWriter.Save(path, labels,
            new AudioBranchParts(audio, Audio, labels, new BranchCalibration(1.5, audioWeight)),
            new VisualBranchParts(visual, labels, new FaceInput(48, 0.5f, 0.25f), new BranchCalibration(0.8, visualWeight)),
            extra: extra, dtype: dtype);
        return path;
    }

    /// <summary>
    /// A decision-fusion bundle whose audio branch is a tiny log-mel CNN (its band statistics those of
    /// <see cref="TestVoice"/>), with no visual branch unless <paramref name="withVisual"/>.
    /// </summary>
    public static string WriteLogMel(string folder, double temperature = 1.3, bool withVisual = false)
    {
        Directory.CreateDirectory(folder);
        var labels = LabelSpaces.Fer7;
        var options = new Aver.Features.LogMel.LogMelOptions { Mels = 32 };
        var frontEnd = LogMelFrontEnd.Fit(options, [new LogMelPipeline(options).Image(TestVoice.Of(4))]);
        var network = new Aver.Models.AudioCnn.AudioCnnArchitecture([4, 8]).Build(labels.Count, new RandomStream(3));
        var path = Path.Combine(folder, "model.safetensors");
        DecisionFusionWriter.Save(path, labels, new LogMelBranchParts(network, labels, frontEnd, new BranchCalibration(temperature, 0.5)),
            withVisual ? new VisualBranchParts(new ResNet18(new ResNetConfig(1, 2, labels.Count), new RandomStream(2)), labels, new FaceInput(48, 0.5f, 0.25f),
                new BranchCalibration(0.8, 0.5)) : null,
            dtype: SafeTensorsDType.F32);
        return path;
    }

    /// <summary>
    /// A decision-fusion model whose audio branch is two log-mel networks answering together: a CNN on 32 bands of
    /// 10-ms frames and ResLSTM-SA on 16 MFCCs + 12 chroma of 43-ms frames (each with its own front end).
    /// </summary>
    public static string WriteLogMelEnsemble(string folder, double temperature = 1.3)
    {
        Directory.CreateDirectory(folder);
        var labels = LabelSpaces.Fer7;
        var cnnOptions = new Aver.Features.LogMel.LogMelOptions { Mels = 32 };
        var rnnOptions = new Aver.Features.LogMel.LogMelOptions { NFft = 2048, WinLength = 1365, HopLength = 683, Cepstra = 16, Chroma = 12 };
        LogMelFrontEnd Fit(Aver.Features.LogMel.LogMelOptions o) => LogMelFrontEnd.Fit(o, [new LogMelPipeline(o).Image(TestVoice.Of(4))]);
        var cnn = new Aver.Models.AudioCnn.AudioCnnArchitecture([4, 8]).Build(labels.Count, new RandomStream(3));
        var rnn = new Aver.Models.AudioCnn.AudioCnnArchitecture([], Pooling: "reslstm", RecurrentHidden: 6, InBands: rnnOptions.Bands).Build(labels.Count, new RandomStream(4));
        var calibration = new BranchCalibration(temperature, 0.5);
        var path = Path.Combine(folder, "model.safetensors");
        DecisionFusionWriter.Save(path, labels, new LogMelEnsembleParts([(cnn, Fit(cnnOptions)), (rnn, Fit(rnnOptions))], labels, calibration),
            null, dtype: SafeTensorsDType.F32);
        return path;
    }

    /// <summary>Rewrites <paramref name="path"/> with <paramref name="edit"/> applied to its model spec's JSON.</summary>
    public static void RewriteSpec(string path, Action<System.Text.Json.Nodes.JsonObject> edit) => Rewrite(path, (meta, _) =>
    {
        var spec = System.Text.Json.Nodes.JsonNode.Parse(meta[Aver.Models.Spec.ModelSpec.MetadataKey])!.AsObject();
        edit(spec);
        meta[Aver.Models.Spec.ModelSpec.MetadataKey] = spec.ToJsonString();
    });

    /// <summary>Rewrites <paramref name="path"/> with <paramref name="edit"/> applied to its metadata and tensors.</summary>
    public static void Rewrite(string path, Action<Dictionary<string, string>, Dictionary<string, Tensor>> edit)
    {
        var f = SafeTensors.Load(path);
        var meta = new Dictionary<string, string>(f.Metadata);
        var tensors = new Dictionary<string, Tensor>(f.Tensors);
        edit(meta, tensors);
        SafeTensors.Save(path, tensors, meta);
    }
}

/// <summary>A temporary folder removed at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aver-inference-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
