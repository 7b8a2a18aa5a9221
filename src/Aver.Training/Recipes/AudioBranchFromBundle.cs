using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Models.AudioCnn;
using Aver.Models.Fusion;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Training;

namespace Aver.Training.Recipes;

/// <summary>
/// The log-mel audio branch of an existing default-model bundle, kept whole for a rebuild (<c>aver build-model
/// --audio-from</c>): its networks and front ends with their band statistics, exactly as `aver predict` runs them, so
/// a new visual branch ships beside a tested audio branch. Only its temperature and fusion weight are fitted anew, on
/// the validation speakers, because the weight depends on both branches.
/// </summary>
internal static class AudioBranchFromBundle
{
    private const string Branch = "audio";

    /// <summary>One bundle's audio networks to keep: all of them, or network <see cref="Member"/> alone.</summary>
    public sealed record Source(DefaultModelBundle Bundle, int? Member, string Name);

    /// <summary>
    /// The networks <paramref name="spec"/> names, comma-separated: a bundle (folder or model file) brings every
    /// network of its audio branch, <c>BUNDLE#audio.N</c> its network N alone. Read at once, so that a bad name
    /// stops the build before any training; an index past the branch is an error naming the bundle.
    /// </summary>
    public static IReadOnlyList<Source> Open(string spec)
    {
        var sources = new List<Source>();
        foreach (var name in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (path, index) = BundleMemberName.Split(name, Branch);
            var bundle = DefaultModelBundle.Load(path);
            int? member = index is null ? null : BundleMemberName.Index(name, index, Branch, Networks(bundle).Count);
            sources.Add(new Source(bundle, member, name));
        }
        return sources.Count > 0 ? sources : throw new ArgumentException("--audio-from names no bundle");
    }

    /// <summary>The source's audio networks, each scored on the <paramref name="validation"/> clips through its own front end.</summary>
    public static IReadOnlyList<LogMelMember> Members(Source source, Catalog catalog, int[] validation, LabelSpace labels, TextWriter log)
    {
        var bundle = source.Bundle;
        var all = Networks(bundle);
        var indices = source.Member is int m ? [m] : Enumerable.Range(0, all.Count).ToArray();
        var items = validation.Select(i => catalog.Items[i]).ToList();
        var clips = Enumerable.Range(0, items.Count).ToArray();
        log.WriteLine($"audio branch: {indices.Length} network{(indices.Length > 1 ? "s" : "")} taken whole from {source.Name}; scoring {items.Count} validation clips");
        var result = new List<LogMelMember>();
        foreach (int i in indices)
        {
            var (network, frontEnd) = all[i];
            var set = new LogMelClipSet(items, labels, new LogMelPipeline(frontEnd.Options));
            set.Prepare();
            var (scores, truth) = DefaultModelRecipe.Scores(network, frontEnd, set, clips);
            result.Add(new LogMelMember(network, frontEnd, new TrainingResult([], 0, false), scores, truth,
                $"{network.Architecture.Summary} on {frontEnd.Options.Describe} crops of {frontEnd.Options.CropSeconds:0.##} s",
                bundle.AudioMemberRecipe(i), source.Member is null ? BundleMemberName.Of(source.Name, Branch, i) : source.Name));
        }
        return result;
    }

    /// <summary>The bundle's log-mel networks with the front end each reads; an MRPN AM branch or none is an error naming the file.</summary>
    private static IReadOnlyList<(AudioCnnNetwork Network, LogMelFrontEnd FrontEnd)> Networks(DefaultModelBundle bundle)
    {
        var ends = bundle.Spec.FrontEnds;
        string file = bundle.File;
        return bundle.Networks.Audio switch
        {
            AudioCnnNetwork cnn => [(cnn, LogMelFrontEnd.FromSpec(ends, file))],
            Ensemble e => e.Members.Select((m, i) => ((AudioCnnNetwork)m, LogMelFrontEnd.FromSpec(ends, file, AudioBranchArchitecture.MemberFrontEnd(i)))).ToList(),
            null => throw new InvalidDataException($"{file}: the bundle has no audio branch to take"),
            _ => throw new InvalidDataException($"{file}: only a log-mel audio branch can be taken from a bundle, not MRPN's AM (retrain it instead)"),
        };
    }
}
