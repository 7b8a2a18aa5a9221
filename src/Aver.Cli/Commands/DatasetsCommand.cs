using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Data.Catalogs;
using Aver.Data.Labels;

namespace Aver.Cli.Commands;

/// <summary>`aver datasets DIR`: what a corpus folder holds — counts per label, speaker, sex and modality, and every skipped file.</summary>
public sealed class DatasetsCommand : CliCommand
{
    public override string Name => "datasets";
    public override string Summary => "catalogue a corpus folder: counts per label, speaker, modality; skipped files";
    public override string Help => $$"""
        aver datasets DIR [--dataset NAME] [--only KEY=VALUE] [--labels SPACE] [--json]

        Reads a corpus as downloaded (RAVDESS, CREMA-D, FER2013 folders or fer2013.csv, EMO-DB,
        or a manifest CSV with path,label,speaker[,sex][,split]) and prints the number of items
        per label, speaker, sex and modality, and every file it skipped with the reason.

        Options:
          --dataset NAME   {{string.Join(", ", DatasetReader.Names)}} (default: recognised from the files)
          --only KEY=VALUE keep items whose field KEY is VALUE (repeatable; KEY may be modality, speaker, sex
                           or a corpus field such as vocal_channel=speech for RAVDESS speech only)
          --labels SPACE   map labels into another space first ({{string.Join(", ", LabelSpaces.All.Select(s => s.Name))}});
                           items without a counterpart are reported as skipped
          --json           {"items": N, "labels": {...}, "speakers": N, "skipped": [...], ...}

        Examples:
          aver datasets ../shared/data/ravdess --only modality=audio
          aver datasets ../shared/data/crema-d --labels basic6 --json
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json");
        var catalog = CatalogArgs.Open(args);
        args.EnsureAllUsed();
        var s = catalog.Summarize();
        if (json)
        {
            ctx.Out.WriteLine(ToJson(s).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return 0;
        }
        ctx.Out.WriteLine($"dataset     {s.Dataset} ({s.LabelSpace}) at {s.Root}");
        ctx.Out.WriteLine($"items       {s.Items} ({s.Recordings} recordings; {s.PairedWithVideo} audio items paired with a video)");
        ctx.Out.WriteLine($"labels      {Join(s.Labels)}");
        ctx.Out.WriteLine($"modalities  {Join(s.Modalities)}");
        ctx.Out.WriteLine($"sex         {Join(s.Sexes)}");
        ctx.Out.WriteLine($"speakers    {s.Speakers.Count}{(s.Speakers.Count > 0 ? ": " + Join(s.Speakers) : " (no speaker ids)")}");
        ctx.Out.WriteLine($"skipped     {s.Skipped.Count}");
        foreach (var k in s.Skipped) ctx.Out.WriteLine($"  {k.Path}: {k.Reason}");
        return 0;
    }

    private static string Join(IEnumerable<KeyValuePair<string, int>> counts) => string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));

    /// <summary>The summary as JSON: items, labels, speakers (count), skipped, and the other counts.</summary>
    public static JsonObject ToJson(CatalogSummary s)
    {
        static JsonObject Counts(IEnumerable<KeyValuePair<string, int>> counts)
        {
            var o = new JsonObject();
            foreach (var (k, v) in counts) o[k] = v;
            return o;
        }
        var skipped = new JsonArray();
        foreach (var k in s.Skipped) skipped.Add(new JsonObject { ["path"] = k.Path, ["reason"] = k.Reason });
        return new JsonObject
        {
            ["dataset"] = s.Dataset,
            ["root"] = s.Root,
            ["labelSpace"] = s.LabelSpace,
            ["items"] = s.Items,
            ["recordings"] = s.Recordings,
            ["pairedWithVideo"] = s.PairedWithVideo,
            ["labels"] = Counts(s.Labels),
            ["speakers"] = s.Speakers.Count,
            ["itemsPerSpeaker"] = Counts(s.Speakers),
            ["sexes"] = Counts(s.Sexes),
            ["modalities"] = Counts(s.Modalities),
            ["skipped"] = skipped,
        };
    }
}

/// <summary>The corpus arguments `datasets` and `splits` share: DIR, --dataset, --labels.</summary>
internal static class CatalogArgs
{
    public static Catalog Open(CliArgs args)
    {
        if (args.Positionals.Count != 1) throw new UsageException(args.Positionals.Count == 0 ? "give the corpus folder (or CSV)" : $"expected one corpus folder, got {args.Positionals.Count} arguments");
        var dataset = args.Option("dataset");
        var labels = args.Option("labels");
        var catalog = DatasetReader.Open(args.Positionals[0], dataset);
        foreach (var filter in args.Options("only"))
        {
            int eq = filter.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--only takes KEY=VALUE, got '{filter}'");
            var (key, value) = (filter[..eq], filter[(eq + 1)..]);
            catalog = catalog.Where(i => FieldOf(i, key) == value);
        }
        if (labels is null) return catalog;
        var space = LabelSpaces.Find(labels) ?? throw new UsageException($"--labels: unknown label space '{labels}' (known: {string.Join(", ", LabelSpaces.All.Select(s => s.Name))})");
        var map = LabelMaps.Between(catalog.Labels, space) ?? throw new UsageException($"--labels: no map from {catalog.Labels.Name} to {space.Name}");
        return catalog.Relabel(map);
    }

    private static string? FieldOf(CatalogItem item, string key) => key switch
    {
        "modality" => CatalogSummary.ModalityName(item.Modality),
        "speaker" => item.Speaker,
        "sex" => item.Sex?.ToString().ToLowerInvariant(),
        "label" => item.Label.Name,
        _ => item.Field(key),
    };
}
