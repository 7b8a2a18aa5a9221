using Aver.Data.Catalogs;
using Aver.Data.Protocols;

namespace Aver.Cli.Commands;

/// <summary>`aver splits DIR --protocol NAME --out DIR`: writes a protocol's split manifests and summary.</summary>
public sealed class SplitsCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["force"];

    public override string Name => "splits";
    public override string Summary => "write speaker-independent split manifests for a protocol";
    public override string Help => $$"""
        aver splits DIR --protocol NAME --out OUTDIR [--seed S] [--groups K | --folds K] [--dataset NAME] [--only KEY=VALUE] [--labels SPACE] [--force] [--json]

        Splits a corpus into folds (test speakers, validation speakers for early stopping, training
        speakers), checks that no speaker and no recording sits on two sides, and writes
        OUTDIR/fold-NN.csv (path,label,speaker,sex,recording,split,fold) and OUTDIR/summary.json.
        The same corpus, protocol and seed give byte-identical files. OUTDIR is written whole: one that
        already holds files is refused unless --force, which replaces it (old folds never mix with new ones).

        Protocols:
        {{string.Join("\n", ProtocolRegistry.Known.Select(p => $"  {p.Name,-14} {p.Description}"))}}

        Options:
          --seed S       seed for the protocols that shuffle speakers (default 0)
          --groups K     number of speaker groups for losgo (default 5) or crema-d (default 9)
          --folds K      number of folds for speaker-kfold (default 5)
          --dataset, --only, --labels   as for aver datasets

        Examples:
          aver splits ../shared/data/ravdess --protocol ravdess-pairs --only vocal_channel=speech --out runs/ravdess-splits
          aver splits /data/CREMA-D --protocol crema-d --seed 7 --out runs/crema-splits
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json");
        var protocolName = args.Option("protocol") ?? throw new UsageException("--protocol is required");
        var outDir = args.Option("out") ?? throw new UsageException("--out is required");
        ulong seed = args.Seed(0);
        int? groups = args.Option("groups") is null ? null : args.Int("groups", 0, min: 3);
        int? folds = args.Option("folds") is null ? null : args.Int("folds", 0, min: 3);
        if (groups is not null && folds is not null) throw new UsageException("give --groups or --folds, not both");
        bool force = args.Flag("force");
        var catalog = CatalogArgs.Open(args);
        args.EnsureAllUsed();
        IProtocol protocol;
        try { protocol = ProtocolRegistry.Create(protocolName, groups ?? folds); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var plan = protocol.Make(catalog, seed);
        using var stage = new StagedFolder(outDir, force);
        var written = SplitManifest.Write(plan, stage.Path);
        stage.Commit();
        if (json)
        {
            ctx.Out.WriteLine(System.Text.Encoding.UTF8.GetString(SplitManifest.SummaryJson(plan)).TrimEnd());
            return 0;
        }
        ctx.Out.WriteLine($"{plan.Protocol} on {catalog.Dataset} ({catalog.Items.Count} items, {catalog.Speakers.Count} speakers), seed {seed}{(plan.SpeakerDependent ? "  SPEAKER-DEPENDENT" : "")}");
        foreach (var note in plan.Notes) ctx.Out.WriteLine($"  {note}");
        foreach (var f in plan.Folds)
            ctx.Out.WriteLine($"  {f.Name,-8} train {f.Train.Count,6}  validation {f.Validation.Count,6} [{string.Join(" ", f.ValidationSpeakers)}]  test {f.Test.Count,6} [{string.Join(" ", f.TestSpeakers)}]");
        if (catalog.Skipped.Count > 0) ctx.Out.WriteLine($"  {catalog.Skipped.Count} files skipped (listed in {SplitManifest.SummaryFile}; see aver datasets)");
        ctx.Out.WriteLine($"wrote {written.Count} files to {Path.GetFullPath(outDir)}");
        return 0;
    }
}
