using System.Text.Json;
using Aver.Features.Plots;
using Aver.Media;

namespace Aver.Cli.Commands;

/// <summary>`aver features CLIP --png FILE`: a clip's audio features as one picture (issue 4 item 8).</summary>
public sealed class FeaturesCommand : CliCommand
{
    public override string Name => "features";
    public override string Summary => "draw a clip's waveform + VAD, MRPN spectrogram and AVEF log-mel/delta stack";
    public override string Help => """
        aver features CLIP [--png FILE] [--json]

        Decodes the first audio track of CLIP (any file ffmpeg reads: wav, mp3, mp4, flv, ...), computes
        both papers' audio features and prints their shapes and the speech fraction. With --png, draws
        one picture: the waveform with the Sohn VAD's speech frames shaded, the MRPN log-magnitude
        spectrogram of the whole clip (Hann 512, hop 64, 256 bins) and the AVEF log-mel, delta and
        delta-delta planes (64 bands), segment starts ticked in red above each panel.

        Options:
          --png FILE   write the picture (PNG) to FILE
          --json       {"file", "duration_s", "sample_rate", "speech_fraction", "mrpn": {...}, "avef": {...}, "png", "panels"}

        Examples:
          aver features ../shared/data/ravdess/av/01-01-03-01-01-01-01.mp4 --png happy.png
          aver features ../shared/data/crema-d/1001_DFA_ANG_XX.flv --png angry.png --json
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json");
        string? png = args.Option("png");
        args.EnsureAllUsed();
        if (args.Positionals.Count != 1)
            throw new UsageException(args.Positionals.Count == 0 ? "give the clip to draw" : $"expected one clip, got {args.Positionals.Count} arguments");
        string clip = args.Positionals[0];
        var audio = MediaDecoder.ReadAudio(clip);
        if (audio.Samples.Length == 0) throw new InvalidDataException($"{clip}: the audio track holds no samples");

        var plot = FeaturePlot.Draw(audio, Path.GetFileName(clip));
        if (png is not null)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(png));
            if (dir is not null) Directory.CreateDirectory(dir);
            Png.Write(png, plot.Image);
        }

        if (json)
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(new
            {
                file = clip,
                duration_s = Math.Round(plot.Duration, 3),
                sample_rate = audio.SampleRate,
                speech_fraction = Math.Round(plot.SpeechFraction, 4),
                mrpn = new { segments = plot.MrpnSegments, shape = new[] { plot.MrpnSegments, 1, 256, 250 } },
                avef = new { segments = plot.AvefSegments, shape = new[] { plot.AvefSegments, 3, 64, 64 } },
                png,
                panels = plot.Panels,
            }));
            return 0;
        }
        ctx.Out.WriteLine($"{clip}: {plot.Duration:0.00} s at {audio.SampleRate} Hz, speech {plot.SpeechFraction:P0} of frames");
        ctx.Out.WriteLine($"  MRPN: {plot.MrpnSegments} x [1, 256, 250]   AVEF: {plot.AvefSegments} x [3, 64, 64]");
        if (png is not null) ctx.Out.WriteLine($"  wrote {png} ({plot.Image.Width}x{plot.Image.Height}): waveform + VAD, MRPN spectrogram, AVEF log-mel / delta / delta-delta");
        return 0;
    }
}
