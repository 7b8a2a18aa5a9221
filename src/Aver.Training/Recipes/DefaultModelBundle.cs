using Aver.Models.Fusion;
using Aver.Models.Spec;
using Aver.Tensors.IO;

namespace Aver.Training.Recipes;

/// <summary>
/// A default-model bundle read back for a rebuild: its spec and its branches' trained networks, so `aver build-model`
/// can keep a branch whole (<c>--audio-from</c>) or let its visual networks join an ensemble (<c>--visual</c>).
/// </summary>
public sealed record DefaultModelBundle(string File, ModelSpec Spec, DecisionFusionNetworks Networks)
{
    /// <summary>The extra key that records the seed which drew the visual networks' FER2013 hold-out (their calibration data).</summary>
    public const string VisualSplitSeedKey = "visual.split_seed";

    /// <summary>The extra key that records, in words, how the audio branch was trained (kept when a rebuild takes the branch whole).</summary>
    public const string AudioRecipeKey = "audio.recipe";

    /// <summary>The extra key that records how audio network <paramref name="member"/> itself was trained (a rebuild keeps it with the network).</summary>
    public static string AudioMemberRecipeKey(int member) => $"audio.{member}.recipe";

    /// <summary>
    /// How audio network <paramref name="member"/> was trained, as the bundle records it. A bundle written before
    /// networks carried their own recipe gives its whole branch's recipe, or the command that made it.
    /// </summary>
    public string AudioMemberRecipe(int member)
    {
        var extra = Spec.Extra;
        if (extra?.GetValueOrDefault(AudioMemberRecipeKey(member)) is string own) return own;
        string command = Spec.Provenance?.Command ?? "(command not recorded)";
        return extra?.GetValueOrDefault(AudioRecipeKey) is string branch
            ? $"one of the networks of a branch recorded as: {branch}"
            : $"see the card of the bundle made by `{command}`";
    }

    /// <summary>The model file a bundle path names: the file itself, or <c>model.safetensors</c> in a bundle folder.</summary>
    public static string FileOf(string path) => Directory.Exists(path) ? System.IO.Path.Combine(path, "model.safetensors") : path;

    /// <summary>Reads the bundle at <paramref name="path"/>; anything else is an error naming it.</summary>
    public static DefaultModelBundle Load(string path)
    {
        string file = FileOf(path);
        if (!System.IO.File.Exists(file)) throw new FileNotFoundException($"{path}: no default-model bundle there (model.safetensors)");
        return Read(SafeTensors.Load(file), file) ?? throw new InvalidDataException($"{file}: not a decision-fusion bundle (a default model)");
    }

    /// <summary>The bundle in a loaded file, or null when the file holds another kind of model.</summary>
    public static DefaultModelBundle? Read(SafeTensorsFile loaded, string file)
    {
        if (!ModelSpec.IsIn(loaded.Metadata)) return null;
        var spec = ModelSpec.FromMetadata(loaded.Metadata, file);
        return spec.Family != DecisionFusionArchitecture.Family ? null
            : new DefaultModelBundle(file, spec, (DecisionFusionNetworks)ModelRegistry.Load(spec, loaded.Tensors, file));
    }
}
