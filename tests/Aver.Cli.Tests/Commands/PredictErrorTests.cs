using System.Text.Json;
using Aver.Data.Labels;
using Aver.Inference;
using Aver.Media;
using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Cli.Tests.Commands;

/// <summary>`aver predict` on hostile input: errors on stderr once, folders searched recursively, no NaN in any output.</summary>
public sealed class PredictErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-predict-errors-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tone(string relative)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var x = new float[16000];
        for (int i = 0; i < x.Length; i++) x[i] = 0.3f * MathF.Sin(2 * MathF.PI * 330 * i / 16000f) * (1 + 0.5f * MathF.Sin(i * 0.001f));
        Wav.Write(path, new AudioBuffer(x, 16000));
        return path;
    }

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public void AnUnreadableFileIsOneLineOnStandardErrorNamingItOnce()
    {
        var missing = Path.Combine(_dir, "missing.wav");
        var (code, output, err) = CliRun.Run("predict", missing, "/dev/zero");
        Assert.Equal(1, code);
        Assert.DoesNotContain("missing.wav", output);
        Assert.DoesNotContain("error", output);
        Assert.Contains($"aver predict: {missing}: file not found\n", err);
        Assert.Equal(1, Occurrences(err, missing));
        Assert.Contains("aver predict: /dev/zero: is a character device, not a regular file", err);
    }

    [Fact]
    public void FoldersAreSearchedRecursivelyAndTheCountIsSaid()
    {
        Tone("b.wav");
        Tone(Path.Combine("sub", "deeper", "a.wav"));
        var (code, output, err) = CliRun.Run("predict", _dir, "--json", "--no-timeline");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, root.GetProperty("clips").GetArrayLength());
        Assert.Equal(2, root.GetProperty("inputs")[0].GetProperty("files").GetInt32());
        Assert.Contains($"2 files to answer (2 under {_dir}; folders are searched recursively)", err);
    }

    [Fact]
    public void AnEmptyFolderIsOneLineNotTheHelp()
    {
        var (code, output, err) = CliRun.Run("predict", _dir);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"aver predict: {_dir}: no audio or video files in it or its subfolders", err.TrimEnd());
    }

    [Fact]
    public void AModelWithNonFiniteWeightsIsRefusedNamingTheTensor()
    {
        var shipped = SafeTensors.Load(Path.Combine(TestPaths.RepoRoot, "models", "default", "model.safetensors"));
        var name = shipped.Tensors.Keys.Order(StringComparer.Ordinal).Skip(3).First();
        var tensors = shipped.Tensors.ToDictionary(t => t.Key, t => t.Value);
        tensors[name].Data[1] = float.NaN;
        var broken = Path.Combine(_dir, "broken.safetensors");
        SafeTensors.Save(broken, tensors, shipped.Metadata.ToDictionary(m => m.Key, m => m.Value));
        var (code, output, err) = CliRun.Run("predict", Tone("a.wav"), "--model", broken, "--json");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"aver predict: error: {broken}: tensor '{name}' holds NaN at element 1: the weights are broken (NaN or infinity)", err.TrimEnd());
    }

    /// <summary>A model that answers NaN, as a model whose arithmetic overflows would.</summary>
    private sealed class NanModel : IClipModel
    {
        public LabelSpace Labels => LabelSpaces.Ravdess8;
        public string Description => "test model that overflows";
        public ClipPrediction Predict(string path, PredictionOptions options)
        {
            var nan = new ClassProbabilities(Labels, Enumerable.Repeat(float.NaN, Labels.Count).ToArray());
            return new ClipPrediction(path, 1, nan, [new BranchResult("audio", BranchStatus.Used, nan, 1, 1, null)], [new SegmentPrediction(0, 1, nan, ["audio"])], 0.01);
        }
    }

    [Fact]
    public void AModelThatAnswersNanGivesAnErrorNotNanAndJsonStaysWhole()
    {
        ModelLoader.Register("test-nan", (_, _, _) => new NanModel());
        var model = Path.Combine(_dir, "nan.safetensors");
        SafeTensors.Save(model, [new("w", new Tensor([1f], 1))], new Dictionary<string, string> { ["format"] = "test-nan" });
        var clip = Tone("a.wav");
        var (code, output, err) = CliRun.Run("predict", clip, "--model", model, "--json");
        Assert.Equal(1, code);
        var answer = JsonDocument.Parse(output).RootElement.GetProperty("clips")[0];
        Assert.Contains("non-finite probabilities", answer.GetProperty("error").GetString());
        var (textCode, text, textErr) = CliRun.Run("predict", clip, "--model", model);
        Assert.Equal(1, textCode);
        Assert.DoesNotContain("NaN", text);
        Assert.Contains($"aver predict: {clip}: the model gave non-finite probabilities", textErr);
    }
}
