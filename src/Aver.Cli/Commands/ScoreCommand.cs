using Aver.Data.Catalogs;
using Aver.Inference;
using Aver.Inference.Scoring;

namespace Aver.Cli.Commands;

/// <summary>`aver score`: a model's accuracy on a labelled corpus, through the same code path as predict.</summary>
public sealed class ScoreCommand : CliCommand, IHasFlags
{
    public override string Name => "score";
    public override string Summary => "accuracy, UAR, macro-F1 and confusion of a model on a labelled folder or manifest";
    public string[] Flags => ["json", "force", "one-view"];
    public override string Help => """
        aver score MODEL DATA [--out DIR] [--map CLASS=CLASS,CLASS=-] [--dataset NAME] [--limit N] [--only audio|visual] [--one-view] [--force] [--json]

        (--limit N scores N files evenly spaced through the corpus, so every class is in the sample.)

        Runs every labelled file of DATA through MODEL exactly as `aver predict` does and reports accuracy, UAR
        (unweighted average recall), macro-F1, per-class recall, the confusion matrix (CSV and PNG) and the files the
        model refused and why, as report.md and score.json in --out (default runs/score; a folder that already
        holds files is refused unless --force, which replaces it whole). MODEL is a model file or folder, or
        `default` for the shipped model.

        DATA is a corpus folder (RAVDESS, CREMA-D, EMO-DB, FER2013's train/test/<class>/, a folder per class such as
        happy/ sadness/ OAF_angry/), a manifest CSV (path,label[,speaker]) or fer2013.csv; --dataset names the corpus
        when it cannot be told from its files. The data's classes are mapped into the model's by a built-in map where
        one exists (e.g. RAVDESS -> FER2013: calm -> neutral), else by emotion name (sadness -> sad); the report prints
        the map. --map overrides it: calm=neutral maps calm to neutral, boredom=- leaves boredom out. Files of classes
        left out are counted and listed, never silently dropped. Photos are classified as `aver predict` does, averaging
        each face's ten-crop views; --one-view classifies the one face crop instead (about 10x less network time).

        Examples:
          aver score default ../shared/data/ravdess/speech16k --out runs/score-ravdess
          aver score default ../shared/data/fer2013/test --map disgust=- --out runs/score-fer
          aver score runs/am-nt-cpu/folds/am-nt/a1-2 ../shared/data/ravdess/speech16k --limit 100
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json"), force = args.Flag("force");
        string output = args.Option("out") ?? Path.Combine("runs", "score");
        string? dataset = args.Option("dataset");
        int limit = args.Int("limit", 0, min: 0);
        var overrides = ParseMap(args.Option("map"));
        var options = new PredictionOptions
        {
            Only = args.Branches(),
            TenCrop = !args.Flag("one-view"),
        };
        args.EnsureAllUsed();
        if (args.Positionals.Count != 2) throw new UsageException("give the model and one data folder or manifest");
        string modelPath = args.Positionals[0] == "default" ? ModelLoader.FindDefault() : args.Positionals[0];
        // Everything is checked before anything runs: the model loads, the data reads, the map applies.
        var model = ModelLoader.Load(modelPath);
        var data = DatasetReader.Open(args.Positionals[1], dataset);
        if (data.Items.Count == 0) throw new InvalidDataException($"{args.Positionals[1]}: no labelled files found ({data.Skipped.Count} skipped)");
        Aver.Data.Labels.EmotionNames.Match(data.Labels, model.Labels, overrides);
        using var stage = new StagedFolder(output, force);

        int total = limit > 0 ? Math.Min(limit, data.Items.Count) : data.Items.Count;
        var bar = ctx.Bar("score", total);
        var result = Scorer.Run(model, data, options, overrides, limit > 0 ? limit : null, (done, _, file) => bar.Report(done, Path.GetFileName(file)));
        string command = "aver score " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1).SkipWhile(a => a != "score").Skip(1));
        ScoreReport.Write(result, stage.Path, command);
        stage.Commit();
        if (json) ctx.Out.WriteLine(ScoreReport.Json(result).ToJsonString());
        else
        {
            ctx.Out.WriteLine($"model: {result.Model}");
            ctx.Out.WriteLine($"data: {data.Root} ({data.Dataset}, {data.Items.Count} files; {result.MapDescription})");
            foreach (var (cls, n) in result.Unmapped) ctx.Out.WriteLine($"  not scored: {n} files of class {cls} (no class of the model; --map {cls}=CLASS to score them)");
            ctx.Out.WriteLine(ScoreReport.Summary(result));
            ctx.Out.WriteLine($"report: {Path.Combine(output, "report.md")}");
        }
        return 0;
    }

    /// <summary>"calm=neutral,boredom=-" as data class -> model class (null: leave out).</summary>
    private static Dictionary<string, string?>? ParseMap(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var map = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0) throw new UsageException($"--map takes CLASS=CLASS or CLASS=- pairs separated by commas, got '{pair}'");
            map[parts[0]] = parts[1] == "-" ? null : parts[1];
        }
        return map;
    }
}
