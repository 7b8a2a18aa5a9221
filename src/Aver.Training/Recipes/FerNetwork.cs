using System.Globalization;
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

    /// <summary>The seed that drew its hold-out (`--split-seed`, else its `--seed`), or null when the file does not say.</summary>
    public string? SplitSeed => Metadata.GetValueOrDefault("split_seed") ?? Metadata.GetValueOrDefault("seed");

    /// <summary>Reads <paramref name="path"/>; a file of other classes is an error naming it.</summary>
    public static FerNetwork Load(string path)
    {
        var file = SafeTensors.Load(path);
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
