using System.Globalization;
using System.Text.Json;
using Aver.Data.Labels;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors.IO;

namespace Aver.Training.Recipes;

/// <summary>
/// An <c>aver pretrain</c> output as the default model's recipe uses it: the FER2013 ResNet-18, the face standardisation
/// it was trained with, the seed that chose its hold-out, and where it came from (for the model card).
/// </summary>
public sealed record FerNetwork(string Path, ResNet18 Network, IReadOnlyDictionary<string, string> Metadata, float PixelMean, float PixelStd, VisualSource Source)
{
    private static LabelSpace Labels => DefaultModelRecipe.Labels;
    private const string Branch = "visual";

    /// <summary>The seed that drew its hold-out (`--split-seed`, else its `--seed`), or null when the file does not say.</summary>
    public string? SplitSeed => Metadata.GetValueOrDefault("split_seed") ?? Metadata.GetValueOrDefault("seed");

    /// <summary>Reads the <c>aver pretrain</c> output <paramref name="path"/>; a file of other classes is an error naming it.</summary>
    public static FerNetwork Load(string path) => Load(SafeTensors.Load(path), path);

    /// <summary>
    /// The FER2013 networks <paramref name="path"/> holds: an <c>aver pretrain</c> output's one, or every network of a
    /// default-model bundle's visual branch (a bundle folder or its model file), which then join another ensemble as
    /// trained; a bundle that does not record its hold-out's split seed cannot join one. <c>BUNDLE#visual.N</c> (the
    /// <see cref="Path"/> this gives a bundle's network N) is that network alone.
    /// </summary>
    public static IReadOnlyList<FerNetwork> LoadAll(string path)
    {
        var (bundlePath, index) = BundleMemberName.Split(path, Branch);
        if (index is not null)
        {
            var all = LoadAll(bundlePath);
            return [all[BundleMemberName.Index(path, index, Branch, all.Count)]];
        }
        string file = DefaultModelBundle.FileOf(path);
        var loaded = SafeTensors.Load(file);
        return DefaultModelBundle.Read(loaded, file) is { } bundle ? FromBundle(bundle) : [Load(loaded, file)];
    }

    /// <summary>The visual networks of <paramref name="bundle"/>, with its face standardisation and recorded split seed.</summary>
    private static IReadOnlyList<FerNetwork> FromBundle(DefaultModelBundle bundle)
    {
        var spec = bundle.Spec;
        string file = bundle.File;
        var networks = bundle.Networks.Visual switch
        {
            ResNet18 one => [one],
            Aver.Tensors.Nn.Ensemble e => e.Members.Cast<ResNet18>().ToList(),
            _ => throw new InvalidDataException($"{file}: the bundle has no visual branch"),
        };
        if (!string.Equals(string.Join(",", spec.Labels.Names), string.Join(",", Labels.Names), StringComparison.Ordinal))
            throw new InvalidDataException($"{file}: predicts [{string.Join(",", spec.Labels.Names)}], not {Labels}");
        var face = spec.FrontEnds.TryGetValue("face", out var json) ? json.Deserialize<Aver.Data.Pipelines.FaceInput>(MetadataJson.Options)
            : null;
        if (face is null) throw new InvalidDataException($"{file}: the bundle's visual branch has no face front end");
        var meta = new Dictionary<string, string> { ["labels"] = string.Join(",", Labels.Names) };
        if (spec.Extra?.GetValueOrDefault(DefaultModelBundle.VisualSplitSeedKey) is { } splitSeed) meta["split_seed"] = splitSeed;
        return networks.Select((n, i) => new FerNetwork(BundleMemberName.Of(file, Branch, i), n, meta, face.PixelMean, face.PixelStd,
            new VisualSource(n.Config, $"# network {i} of the visual branch of {file}", null, null))).ToList();
    }

    private static FerNetwork Load(SafeTensorsFile file, string path)
    {
        var meta = file.Metadata;
        // A file with a model spec rebuilds its own network (stem included); older files carry flat keys only.
        ResNet18 network;
        ModelSpec? spec = null;
        if (ModelSpec.IsIn(meta))
        {
            var loaded = ModelFile.Load(file, path);
            (spec, network) = (loaded.Spec, loaded.Network as ResNet18 ?? throw new InvalidDataException($"{path}: a {loaded.Spec.Family} model, not an `aver pretrain` ResNet-18"));
        }
        else
        {
            network = new ResNet18(new ResNetConfig(1, int.Parse(meta["width"], CultureInfo.InvariantCulture), Labels.Count));
            network.LoadStateDict(file.Tensors, strict: true, source: path);
        }
        if (meta.GetValueOrDefault("labels") != string.Join(",", Labels.Names))
            throw new InvalidDataException($"{path}: predicts [{meta.GetValueOrDefault("labels")}], not {Labels}");
        // A file with a spec keeps these in its extra; older files have none of them.
        string? Extra(string key) => spec?.Extra?.GetValueOrDefault(key);
        var source = new VisualSource(network.Config, spec?.Provenance?.Command,
            int.TryParse(Extra("best_epoch"), CultureInfo.InvariantCulture, out int best) ? best : null,
            double.TryParse(Extra("test_accuracy_ten_crop"), CultureInfo.InvariantCulture, out double tenCrop) ? tenCrop : null);
        return new FerNetwork(path, network, meta, float.Parse(meta["pixel_mean"], CultureInfo.InvariantCulture),
            float.Parse(meta["pixel_std"], CultureInfo.InvariantCulture), source);
    }

    /// <summary>
    /// Refuses, naming this file, to join <paramref name="first"/> in an ensemble unless both held out the same images
    /// (one split seed) and standardise faces alike.
    /// </summary>
    public void CheckSameInputAs(FerNetwork first)
    {
        if (SplitSeed != first.SplitSeed)
            throw new InvalidDataException($"{Path}: its hold-out was drawn with seed {SplitSeed ?? "(not recorded)"}, {first.Path}'s with {first.SplitSeed ?? "(not recorded)"}; an ensemble's networks need one hold-out (aver pretrain --split-seed)");
        if (PixelMean != first.PixelMean || PixelStd != first.PixelStd)
            throw new InvalidDataException($"{Path}: standardises faces by mean {PixelMean} / std {PixelStd}, {first.Path} by {first.PixelMean} / {first.PixelStd}; an ensemble's networks share one face input");
    }
}
