using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Inference;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;
using Aver.Training.Pretraining;
using static Aver.Tools.FerTool;

namespace Aver.FaceCrop;

/// <summary>
/// Which crop of a BlazeFace detection reproduces FER2013's framing (issue 16, item 3). A seeded, class-stratified
/// sample of FER2013 faces is scaled up and placed in a larger canvas, BlazeFace runs on the canvas, and each candidate
/// crop of its best detection is compared with the image's own frame (IoU, centre offset, side) and classified by the
/// default model's visual branch (accuracy, and its paired difference from the current crop). See README.md.
/// </summary>
public static class Program
{
    private sealed record Setting(float Margin, float Shift, bool Align, bool Equalize)
    {
        public FaceCropOptions Options(int size) => new()
        {
            Style = FaceCropStyle.Mrpn, Size = size, Color = ImageColor.Gray, Margin = Margin, VerticalShift = Shift, Align = Align,
        };

        public override string ToString() =>
            FormattableString.Invariant($"margin {Margin:0.##}, shift {Shift:+0.###;-0.###;0}, align {(Align ? "on" : "off")}, equalise {(Equalize ? "on" : "off")}");
    }

    /// <summary>One sample image placed in its canvas: the frame (canvas pixels) and the detector's best face, if any.</summary>
    private sealed record Placed(Image Canvas, FaceBox Frame, FaceDetection? Face);

    public static int Main(string[] args)
    {
        var o = Args(args);
        string fer = o.GetValueOrDefault("fer", "../shared/data/fer2013");
        string split = o.GetValueOrDefault("split", "holdout");
        int n = Int(o, "n", 1500), canvasSide = Int(o, "canvas", 256);
        ulong seed = ulong.Parse(o.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture);
        var (scaleLow, scaleHigh) = Range(o.GetValueOrDefault("scale", "2-3"));
        string background = o.GetValueOrDefault("background", "edge");
        Engine.Threads = Int(o, "threads", 1);
        var settings = (from m in Floats(o.GetValueOrDefault("margins", "0,0.1,0.2,0.3,0.4"))
                        from s in Floats(o.GetValueOrDefault("shifts", "0"))
                        from a in Switches(o.GetValueOrDefault("align", "off"))
                        from e in Switches(o.GetValueOrDefault("equalise", "off"))
                        select new Setting(m, s, a, e)).ToList();
        var current = new Setting(0.2f, 0, false, false);
        if (!settings.Contains(current)) settings.Insert(0, current);

        var model = ModelLoader.Load(ModelLoader.FindDefault()) as DecisionFusionModel ?? throw new InvalidDataException("the default model is not a decision-fusion bundle");
        var branch = model.Visual ?? throw new InvalidDataException("the default model has no visual branch");
        int size = branch.Input.Size;

        var items = Sample(Items(fer, split), n, new RandomStream(seed).Fork("sample"));
        var labels = items.Select(i => branch.Labels[i.Label.Name].Index).ToArray();
        var faces = ImageDecoder.LoadMany(items.Select(i => i.Path).ToList(), ImageColor.Gray);
        Console.Error.WriteLine($"{items.Count} FER2013 {split} images; placing them in {canvasSide} px canvases ({background} background) and detecting");

        var detector = BlazeFace.Load();
        var placed = new Placed[items.Count];
        var rng = new RandomStream(seed).Fork("canvas");
        for (int first = 0; first < items.Count; first += 64)
        {
            int m = Math.Min(64, items.Count - first);
            var batch = new (Image Canvas, FaceBox Frame)[m];
            for (int i = 0; i < m; i++) batch[i] = Place(faces[first + i], canvasSide, scaleLow, scaleHigh, background, rng.Fork("image", first + i));
            var found = detector.Detect(batch.Select(b => b.Canvas).ToList());
            for (int i = 0; i < m; i++) placed[first + i] = new Placed(batch[i].Canvas, batch[i].Frame, found[i].MaxBy(d => d.Score));
        }
        var detected = Enumerable.Range(0, items.Count).Where(i => placed[i].Face is not null).ToArray();
        Console.Error.WriteLine($"detected {detected.Length} of {items.Count}");

        var w = Console.Out;
        w.WriteLine($"FER2013 {split}: {items.Count} images (seed {seed}, stratified by class), each scaled {scaleLow:0.##}-{scaleHigh:0.##}x into a {canvasSide} px canvas ({background} background) at a seeded position.");
        w.WriteLine($"BlazeFace found a face in {detected.Length} ({Percent(detected.Length, items.Count)}); the rows below are over those {detected.Length}.");
        w.WriteLine();
        Geometry(w, placed, detected);

        var ceiling = Correct(branch, detected.Select(i => faces[i]).ToList(), detected.Select(i => labels[i]).ToArray());
        var oracle = Correct(branch, detected.Select(i => FaceCropper.Crop(placed[i].Canvas, FrameDetection(placed[i].Frame), new FaceCropOptions
            { Style = FaceCropStyle.Mrpn, Size = size, Color = ImageColor.Gray, Margin = 0 })).ToList(), detected.Select(i => labels[i]).ToArray());
        var all = Correct(branch, faces, labels);
        w.WriteLine($"Ceiling, the original 48x48 images: {Accuracy(all)} over all {items.Count}, {Accuracy(ceiling)} over the detected {detected.Length}.");
        w.WriteLine($"The image's own frame cut from the canvas (resampling only, no detector): {Accuracy(oracle)}.");
        w.WriteLine();

        var rows = new List<(Setting Setting, bool[] Correct, double IoU, double Dx, double Dy, double Side)>();
        foreach (var s in settings)
        {
            var opts = s.Options(size);
            var crops = new List<Image>(detected.Length);
            double iou = 0, dx = 0, dy = 0, side = 0;
            foreach (int i in detected)
            {
                var (frame, face) = (placed[i].Frame, placed[i].Face!);
                var crop = FaceCropper.Crop(placed[i].Canvas, face, opts);
                crops.Add(s.Equalize ? Equalize(crop) : crop);
                var (centre, cropSide) = FaceCropper.Region(face, opts);
                centre = new FacePoint(centre.X, centre.Y + s.Shift * cropSide);
                iou += FaceBox.FromCenter(centre, cropSide, cropSide).IoU(frame);
                dx += (centre.X - frame.Center.X) / frame.Width;
                dy += (centre.Y - frame.Center.Y) / frame.Height;
                side += cropSide / frame.Width;
            }
            int k = detected.Length;
            var correct = Correct(branch, crops, detected.Select(i => labels[i]).ToArray());
            rows.Add((s, correct, iou / k, dx / k, dy / k, side / k));
            Console.Error.WriteLine($"{s}: {Accuracy(correct)}");
        }
        var baseline = rows.First(r => r.Setting == current).Correct;
        w.WriteLine("| setting | mean IoU with the FER frame | centre offset x | centre offset y | crop side / frame side | accuracy ± SE | vs margin 0.2 (paired) |");
        w.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            w.WriteLine(FormattableString.Invariant($"| {r.Setting} | {r.IoU:0.000} | {Signed(r.Dx)} | {Signed(r.Dy)} | {r.Side:0.00} | {Accuracy(r.Correct)} | {Paired(r.Correct, baseline)} |"));
        w.WriteLine();
        w.WriteLine("Offsets are (crop centre − frame centre) / frame side, positive right and down; IoU is of the unrotated squares. " +
                    "SE = sqrt(p(1−p)/n); the paired column is the difference in accuracy from margin 0.2 on the same images, its SE from the discordant pairs.");
        return 0;
    }

    /// <summary>What the detector's box says about FER's framing: the margin and shift that would reproduce it exactly, and where the eyes sit.</summary>
    private static void Geometry(TextWriter w, Placed[] placed, int[] detected)
    {
        var margin = new List<double>(); var shiftY = new List<double>(); var shiftX = new List<double>();
        var eyes = new List<double>(); var aspect = new List<double>(); var tilt = new List<double>();
        foreach (int i in detected)
        {
            var (frame, face) = (placed[i].Frame, placed[i].Face!);
            float longer = Math.Max(face.Box.Width, face.Box.Height);
            margin.Add(frame.Width / longer - 1);
            shiftY.Add((frame.Center.Y - face.Box.Center.Y) / frame.Height);
            shiftX.Add((frame.Center.X - face.Box.Center.X) / frame.Width);
            eyes.Add((FacePoint.Midpoint(face.RightEye, face.LeftEye).Y - frame.Y) / frame.Height);
            aspect.Add(face.Box.Height / face.Box.Width);
            tilt.Add(Math.Abs(face.EyeAngle) * 180 / Math.PI);
        }
        w.WriteLine("What the detections say about FER's framing (median [quartiles]):");
        w.WriteLine();
        w.WriteLine($"- margin that makes the crop side equal the frame side, frame / longer box side − 1: {Quartiles(margin)}");
        w.WriteLine($"- shift that puts the crop centre on the frame centre, (frame − box centre) / frame side: vertical {Quartiles(shiftY)}, horizontal {Quartiles(shiftX)}");
        w.WriteLine($"- eye line height in the FER frame (fraction from the top): {Quartiles(eyes)}");
        w.WriteLine($"- box height / width: {Quartiles(aspect)}; |eye-line tilt|: {Quartiles(tilt)} degrees");
        w.WriteLine();
    }

    private static string Quartiles(List<double> v)
    {
        var s = v.Order().ToArray();
        double Q(double p) => s[(int)Math.Round(p * (s.Length - 1))];
        return FormattableString.Invariant($"{Q(0.5):0.000} [{Q(0.25):0.000}, {Q(0.75):0.000}]");
    }

    /// <summary>The face scaled by a random factor in [low, high] and put at a random place in a side x side canvas.</summary>
    private static (Image Canvas, FaceBox Frame) Place(Image face, int side, double low, double high, string background, RandomStream rng)
    {
        int s = (int)Math.Round(face.Width * (low + (high - low) * rng.NextDouble()));
        if (s > side) throw new ArgumentException($"a {s} px face does not fit a {side} px canvas");
        var big = face.Resize(s, s);
        int x0 = rng.NextInt(side - s + 1), y0 = rng.NextInt(side - s + 1);
        var canvas = new byte[side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int u = x - x0, v = y - y0;
                bool inside = (uint)u < (uint)s && (uint)v < (uint)s;
                canvas[y * side + x] = inside || background == "edge" ? big.Data[Math.Clamp(v, 0, s - 1) * s + Math.Clamp(u, 0, s - 1)] : (byte)128;
            }
        return (new Image(side, side, 1, canvas).ToRgb(), new FaceBox(x0, y0, s, s));
    }

    /// <summary>A detection whose box is exactly <paramref name="frame"/> (eyes level), to cut the frame itself.</summary>
    private static FaceDetection FrameDetection(FaceBox frame)
    {
        var c = frame.Center;
        return new FaceDetection(frame, [c, c + new FacePoint(1, 0), c, c, c, c], 1f);
    }

    /// <summary>Global histogram equalisation of a grey image (the cumulative histogram stretched to 0..255).</summary>
    private static Image Equalize(Image grey)
    {
        var hist = new int[256];
        foreach (var p in grey.Data) hist[p]++;
        int total = grey.Data.Length, first = hist.First(h => h > 0), cumulative = 0;
        var map = new byte[256];
        for (int v = 0; v < 256; v++)
        {
            cumulative += hist[v];
            map[v] = total == first ? (byte)v : (byte)Math.Clamp(Math.Round((cumulative - first) * 255.0 / (total - first)), 0, 255);
        }
        return new Image(grey.Width, grey.Height, 1, grey.Data.Select(p => map[p]).ToArray());
    }

    private static bool[] Correct(FaceBranch branch, IReadOnlyList<Image> crops, int[] labels)
    {
        var p = branch.Classify(crops);
        int c = branch.Labels.Count;
        var correct = new bool[crops.Count];
        for (int i = 0; i < crops.Count; i++)
        {
            var row = p.AsSpan(i * c, c);
            correct[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row) == labels[i];
        }
        return correct;
    }

    private static string Accuracy(bool[] correct)
    {
        double n = correct.Length, p = correct.Count(c => c) / n;
        return FormattableString.Invariant($"{100 * p:0.0} ± {100 * Math.Sqrt(p * (1 - p) / n):0.0} %");
    }

    /// <summary>Paired difference a − b in percentage points, SE from the discordant pairs (as McNemar's test).</summary>
    private static string Paired(bool[] a, bool[] b)
    {
        int n = a.Length, onlyA = 0, onlyB = 0;
        for (int i = 0; i < n; i++) { if (a[i] && !b[i]) onlyA++; if (b[i] && !a[i]) onlyB++; }
        double d = (onlyA - onlyB) / (double)n, se = Math.Sqrt(onlyA + onlyB - Math.Pow(onlyA - onlyB, 2) / n) / n;
        return FormattableString.Invariant($"{100 * d:+0.0;-0.0;0.0} ± {100 * se:0.0}");
    }

    private static string Signed(double v) => Math.Round(v, 3).ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);







    private static bool[] Switches(string list) => list.Split(',').Select(v => v switch
    {
        "on" => true, "off" => false, _ => throw new ArgumentException($"'{v}': expected on or off"),
    }).ToArray();

    private static (double, double) Range(string v)
    {
        var p = v.Split('-');
        return (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[^1], CultureInfo.InvariantCulture));
    }
}
