using Aver.Inference;

namespace Aver.Cli.Commands;

/// <summary>`aver upgrade-model`: rewrites a model file of an earlier layout with its model spec.</summary>
public sealed class UpgradeModelCommand : CliCommand
{
    public override string Name => "upgrade-model";
    public override string Summary => "rewrite a model file of an earlier layout (flat metadata keys) with its model spec";
    public override string Help => """
        aver upgrade-model FILE [--out OUT]

        Model files written before the model spec (MRPN fold bundles with mrpn_version 1, AVEF fold bundles, the
        aver-decision-fusion default model) still load as they are; this rewrites one with the spec its keys
        describe, the tensors unchanged, so it answers exactly as before. In place unless --out is given; the
        write is atomic. A file that already holds a spec is left alone.

        Example:
          aver upgrade-model runs/am-nt-cpu/folds/am-nt/a1-2/mrpn.safetensors
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        string? output = args.Option("out");
        var files = args.Positionals;
        args.EnsureAllUsed();
        if (files.Count != 1) throw new UsageException("give one model file");
        string path = files[0];
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found");
        bool written = ModelUpgrade.Upgrade(path, output ?? path);
        ctx.Out.WriteLine(written ? $"{output ?? path}: written with its model spec" : $"{path}: already holds a model spec; nothing written");
        return 0;
    }
}
