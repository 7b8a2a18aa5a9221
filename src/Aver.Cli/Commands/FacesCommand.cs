using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Media;

namespace Aver.Cli.Commands;

/// <summary>`aver faces CLIP --out DIR`: BlazeFace face track of a clip, written as crops, a contact sheet and a CSV.</summary>
public sealed class FacesCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["align", "bench", "skip-b-frames", "force"];
    public override string Name => "faces";
    public override string Summary => "detect and track the face of a clip; write face crops and a contact sheet";
    public override string Help => """
        aver faces CLIP --out DIR [--force] [--size N] [--style mrpn|avef] [--align] [--color rgb|gray] [--json]
        aver faces CLIP_OR_FOLDER... --bench [--json]

        Decodes the clip's video, finds the face in every frame with MediaPipe BlazeFace (installed by
        ./setup.sh), fills frames without a detection from the nearest one (flagged 'carried'), smooths
        the track and writes into DIR:
          crops/NNNNNN.png   one square face crop per frame with a face (NNNNNN = frame index)
          contact_sheet.png  up to 48 crops spread over the clip, for a person to check
          track.csv          per frame: time, state (detected/interpolated/carried/missing), score, box, key points
        DIR is written under a temporary name and renamed into place: a failed run leaves nothing. A DIR that
        already holds files is refused before any work, unless --force, which replaces it whole.
        Ends with a summary of frames decoded and frames with a face. A clip in which no face is
        found writes nothing and exits with code 1.

        Options:
          --force           replace DIR when it already holds files (never merged with them)
          --size N          crop side in pixels (default 112)
          --style S         mrpn: square around the detector box plus a margin (default);
                            avef: square from the eyes, nose and mouth key points
          --margin F        mrpn: fraction added to the box's longer side (default 0.25)
          --shift F         move the crop centre down by F times the crop side (negative: up; default 0)
          --align           rotate each crop so the eyes are level
          --color C         rgb (default) or gray
          --fps F           decode at F frames per second (default: the clip's rate)
          --decode-side N   decode frames with the longer side at most N pixels (default 640)
          --decode-threads N  ffmpeg decoder threads (default 1: detection runs beside it on the other core)
          --skip-b-frames   decode only I and P frames (cheaper; for --fps well below the clip's rate)
          --batch N         frames per detector pass (default 8)
          --detect-every K  run the detector on every K-th frame and the last only (1-16, default 8) and
                            interpolate the frames between (state 'interpolated'); where two probes
                            disagree (face lost, box moved, low score) the frames between are detected
                            too. 1 detects every frame.
          --model PATH      the BlazeFace .onnx (default: third_party/ as setup.sh installs it,
                            or $AVER_BLAZEFACE_MODEL)
          --bench           time decode + detect + crop (nothing written) over clips or folders of
                            clips and print the throughput as a multiple of real time, per wall-second
                            and per CPU-second (this process plus its ffmpeg decoders)
          --json            {"frames": N, "faces": M, "detected": D, "carried": C, ...}

        Examples:
          aver faces ../shared/data/ravdess/av/01-01-01-01-01-01-01.mp4 --out runs/faces01 --style avef --align
          aver faces ../shared/data/ravdess/av ../shared/data/crema-d --bench
        """;

    private const int SheetTiles = 48, SheetColumns = 8;
    /// <summary>
    /// Detector stride: on the shared clips every 8th frame keeps a face in 100% of frames and boxes at mean IoU
    /// >= 0.98 with every-frame detection, for a fifth of the detector work (bench/faces/README.md).
    /// </summary>
    private const int DefaultDetectEvery = 8;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json"), bench = args.Flag("bench");
        var crop = new FaceCropOptions
        {
            Size = args.Int("size", 112, min: 8, max: 4096),
            Style = args.Option("style", "mrpn") switch
            {
                "mrpn" => FaceCropStyle.Mrpn,
                "avef" => FaceCropStyle.Avef,
                var s => throw new UsageException($"--style takes mrpn or avef, got '{s}'"),
            },
            Margin = (float)args.Double("margin", 0.25),
            VerticalShift = (float)args.Double("shift", 0, min: -0.5, max: 0.5),
            Align = args.Flag("align"),
            Color = args.Option("color", "rgb") switch
            {
                "rgb" => ImageColor.Rgb,
                "gray" => ImageColor.Gray,
                var s => throw new UsageException($"--color takes rgb or gray, got '{s}'"),
            },
        };
        double fps = args.Double("fps", 0);
        var decode = FaceExtraction.DefaultDecode with
        {
            MaxSide = args.Int("decode-side", FaceExtraction.DefaultDecode.MaxSide ?? 640, min: 64, max: 8192),
            Fps = fps > 0 ? fps : null,
            DecoderThreads = args.Int("decode-threads", FaceExtraction.DefaultDecode.DecoderThreads ?? 1, min: 0, max: 64),
            SkipBFrames = args.Flag("skip-b-frames"),
        };
        var detectorOptions = new BlazeFaceOptions { ModelPath = args.Option("model"), BatchSize = args.Int("batch", 8, min: 1, max: 256) };
        string? outDir = args.Option("out");
        bool force = args.Flag("force");
        int every = args.Int("detect-every", DefaultDetectEvery, min: 1, max: 16);
        args.EnsureAllUsed();
        if (args.Positionals.Count == 0) throw new UsageException("give a clip");

        if (bench) return FacesBench.Run(args.Positionals, Tracker(detectorOptions, every), crop, decode, json, ctx);
        if (args.Positionals.Count != 1) throw new UsageException("give one clip (several only with --bench)");
        if (outDir is null) throw new UsageException("--out DIR is required");
        // The output folder is checked (and its staging folder made) before the detector loads or a frame decodes.
        using var stage = new StagedFolder(outDir, force);
        return Extract(args.Positionals[0], stage, Tracker(detectorOptions, every), crop, decode, json, ctx);
    }

    private static FaceTracker Tracker(BlazeFaceOptions detector, int every) =>
        new(BlazeFace.Load(detector), new FaceTrackerOptions { DetectEvery = every });

    private static int Extract(string clip, StagedFolder stage, FaceTracker tracker, FaceCropOptions crop, VideoFrameOptions decode, bool json, CliContext ctx)
    {
        string outDir = stage.Target;
        Directory.CreateDirectory(stage.File("crops"));
        var sheet = new EvenSample<Image>(SheetTiles);
        var result = FaceExtraction.Run(clip, tracker, crop, decode, (face, image) =>
        {
            Png.Write(stage.File("crops", $"{face.Index:D6}.png"), image);
            sheet.Add(image);
        });
        var track = result.Track;
        if (track.HasFace)
        {
            Png.Write(stage.File("contact_sheet.png"), ContactSheet.Compose(sheet.Take(), SheetColumns, crop.Size, crop.Size));
            Aver.Tensors.IO.AtomicFile.WriteAllText(stage.File("track.csv"), TrackCsv(track));
            stage.Commit();
        }
        if (json) ctx.Out.WriteLine(ToJson(result, track.HasFace ? Path.GetFullPath(outDir) : null).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else
        {
            ctx.Out.WriteLine($"{clip}: {result.Frames} frames decoded, {result.FramesWithFace} with a face " +
                              $"({result.FramesDetected} detected, {Count(track, FaceState.Interpolated)} interpolated, {Count(track, FaceState.Carried)} carried) in {result.ElapsedSeconds:F2} s ({result.RealTimeFactor:F1}x real time)");
            if (track.HasFace) ctx.Out.WriteLine($"wrote {result.FramesWithFace} crops, contact_sheet.png and track.csv to {Path.GetFullPath(outDir)}");
        }
        if (!track.HasFace)
        {
            ctx.Error.WriteLine($"aver faces: {clip}: no face found in any of its {result.Frames} frames; nothing written");
            return 1;
        }
        return 0;
    }

    private static JsonObject ToJson(FaceExtractionResult r, string? outDir) => new()
    {
        ["clip"] = r.Path,
        ["frames"] = r.Frames,
        ["faces"] = r.FramesWithFace,
        ["detected"] = r.FramesDetected,
        ["interpolated"] = Count(r.Track, FaceState.Interpolated),
        ["carried"] = Count(r.Track, FaceState.Carried),
        ["missing"] = r.Frames - r.FramesWithFace,
        ["status"] = r.Track.HasFace ? "found" : "no_face",
        ["videoSeconds"] = Math.Round(r.VideoSeconds, 3),
        ["wallSeconds"] = Math.Round(r.ElapsedSeconds, 3),
        ["realTimeFactor"] = Math.Round(r.RealTimeFactor, 2),
        ["out"] = outDir,
    };

    private static int Count(FaceTrack track, FaceState state) => track.Frames.Count(f => f.State == state);

    private static string TrackCsv(FaceTrack track)
    {
        var sb = new StringBuilder("frame,time,state,score,x,y,width,height,right_eye_x,right_eye_y,left_eye_x,left_eye_y,nose_x,nose_y,mouth_x,mouth_y,right_ear_x,right_ear_y,left_ear_x,left_ear_y\n");
        var c = CultureInfo.InvariantCulture;
        foreach (var f in track.Frames)
        {
            sb.Append(c, $"{f.Index},{f.Time:F4},{f.State.ToString().ToLowerInvariant()}");
            if (f.Face is { } d)
            {
                sb.Append(c, $",{d.Score:F4},{d.Box.X:F1},{d.Box.Y:F1},{d.Box.Width:F1},{d.Box.Height:F1}");
                foreach (var p in d.KeyPoints) sb.Append(c, $",{p.X:F1},{p.Y:F1}");
            }
            else sb.Append(',', 17);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>
/// Keeps an evenly spread sample of at most <c>max</c> items from a stream of unknown length: every
/// <c>stride</c>-th item is kept, and when twice <c>max</c> are held, every other one is dropped and the
/// stride doubles.
/// </summary>
internal sealed class EvenSample<T>(int max)
{
    private List<T> _kept = [];
    private int _stride = 1, _seen;

    public void Add(T item)
    {
        if (_seen++ % _stride != 0) return;
        _kept.Add(item);
        if (_kept.Count < 2 * max) return;
        _kept = _kept.Where((_, i) => i % 2 == 0).ToList();
        _stride *= 2;
    }

    /// <summary>At most max items, spread evenly over what was kept.</summary>
    public List<T> Take()
    {
        if (_kept.Count <= max) return _kept;
        return Enumerable.Range(0, max).Select(i => _kept[(int)((long)i * _kept.Count / max)]).ToList();
    }
}
