using System.Globalization;
using System.Numerics.Tensors;
using Aver.Data.Catalogs;
using Aver.Inference;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;
using Aver.Training.Pretraining;
using static Aver.Tools.FerTool;

namespace Aver.FaceQuality;

/// <summary>
/// Whether weighting video frames by face quality (detector score, face size, crop sharpness) improves the visual
/// branch's clip aggregate (issue 16, item 3). Each FER2013 image of a seeded, class-stratified sample is blurred,
/// rendered at several face sizes in a video-sized canvas, detected by BlazeFace and cropped as <c>predict</c> crops
/// (the default model's front end); each crop's temperature-scaled probabilities and quality measures are recorded.
/// Simulated clips (K frames of one image, seeded mixes of degradations) are then aggregated by the plain mean (what
/// <c>FaceBranch.Run</c> does) and by candidate quality weightings, and compared paired, with a bootstrap over
/// images. See README.md.
/// </summary>
public static class Program
{
    /// <summary>One degraded frame: its nominal degradation and, when BlazeFace found the face, its quality and probabilities.</summary>
    private sealed record Frame(int Image, int Size, double Blur, bool Detected, double Score, double Side, double Sharpness, float[]? P);

    /// <summary>A candidate aggregate: per-frame weights (null = drop the frame), or the plain mean.</summary>
    private sealed record Rule(string Name, Func<Frame, double> Weight);

    public static int Main(string[] args)
    {
        var o = Args(args);
        string fer = o.GetValueOrDefault("fer", "../shared/data/fer2013");
        string split = o.GetValueOrDefault("split", "holdout");
        int n = Int(o, "n", 1500), maxCanvas = Int(o, "canvas", 320), k = Int(o, "k", 8), clipsPerImage = Int(o, "clips", 4), boot = Int(o, "boot", 2000);
        ulong seed = ulong.Parse(o.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture);
        string background = o.GetValueOrDefault("background", "edge");
        var (fillLow, fillHigh) = Range(o.GetValueOrDefault("fill", "0.35-0.6"));
        var sizes = Floats(o.GetValueOrDefault("sizes", "12,16,24,32,48,96")).Select(v => (int)v).ToArray();
        var blurs = Floats(o.GetValueOrDefault("blurs", "0,1,2,3"));
        Engine.Threads = Int(o, "threads", 1);

        var model = ModelLoader.Load(ModelLoader.FindDefault()) as DecisionFusionModel ?? throw new InvalidDataException("the default model is not a decision-fusion bundle");
        var branch = model.Visual ?? throw new InvalidDataException("the default model has no visual branch");
        int c = branch.Labels.Count;

        if (o.TryGetValue("videos", out var videos))
        {
            // Real clips only: what the quality measures read on them (needs --sharp-ref).
            Videos(Console.Out, branch, videos.Split(','), double.Parse(o.GetValueOrDefault("fps", "4"), CultureInfo.InvariantCulture),
                double.Parse(o["sharp-ref"], CultureInfo.InvariantCulture));
            return 0;
        }

        var items = Sample(Items(fer, split), n, new RandomStream(seed).Fork("sample"));
        var labels = items.Select(i => branch.Labels[i.Label.Name].Index).ToArray();
        var faces = ImageDecoder.LoadMany(items.Select(i => i.Path).ToList(), ImageColor.Gray);
        var versions = (from s in sizes from b in blurs select (Size: s, Blur: (double)b)).ToArray();
        Console.Error.WriteLine($"{items.Count} FER2013 {split} images x {versions.Length} degradations ({background} background)");

        // Render, detect and crop in batches (canvases are not kept), then classify the crops.
        var detector = BlazeFace.Load();
        var crop = branch.Input.CropOptions;
        var pending = new List<(int Image, int Size, double Blur, FaceDetection Face)>();
        var crops = new List<Image>();
        var frames = new List<Frame>();
        var rng = new RandomStream(seed).Fork("canvas");
        var jobs = (from i in Enumerable.Range(0, items.Count) from v in versions select (Image: i, v.Size, v.Blur)).ToArray();
        for (int first = 0; first < jobs.Length; first += 64)
        {
            var batch = jobs.Skip(first).Take(64).ToArray();
            var canvases = batch.Select((j, b) => Place(Degrade(faces[j.Image], j.Size, j.Blur), fillLow, fillHigh, maxCanvas, background, rng.Fork("frame", first + b))).ToList();
            var found = detector.Detect(canvases);
            for (int b = 0; b < batch.Length; b++)
            {
                var j = batch[b];
                if (found[b].MaxBy(d => d.Score) is not { } face) { frames.Add(new Frame(j.Image, j.Size, j.Blur, false, 0, 0, 0, null)); continue; }
                var cut = FaceCropper.Crop(canvases[b], face, crop);
                crops.Add(cut);
                pending.Add((j.Image, j.Size, j.Blur, face));
            }
            if (first % 6400 == 0) Console.Error.WriteLine($"  {first} of {jobs.Length} frames");
        }
        var probabilities = branch.Classify(crops);
        for (int i = 0; i < crops.Count; i++)
        {
            var (image, size, blur, face) = pending[i];
            frames.Add(new Frame(image, size, blur, true, face.Score, Math.Max(face.Box.Width, face.Box.Height), Sharpness(crops[i]),
                probabilities.AsSpan(i * c, c).ToArray()));
        }
        var detected = frames.Where(f => f.Detected).ToList();
        // The sharpness ramp's reference: the median sharpness of the best frames (largest size, no blur) of this sample,
        // unless given (choose it on the hold-out, pass it on the test split).
        double sharpRef = o.TryGetValue("sharp-ref", out var sr) ? double.Parse(sr, CultureInfo.InvariantCulture)
            : Median(detected.Where(f => f.Size == sizes.Max() && f.Blur == 0).Select(f => f.Sharpness));
        Console.Error.WriteLine($"{detected.Count} of {frames.Count} frames have a face; sharpness reference {sharpRef:0.000}");

        var w = Console.Out;
        w.WriteLine($"FER2013 {split}: {items.Count} images (seed {seed}, stratified by class); each blurred (Gaussian σ ∈ {{{string.Join(", ", blurs)}}} px at 48 px), " +
                    $"rendered at face side s ∈ {{{string.Join(", ", sizes)}}} px (area-averaged down, bilinear up) and placed at a seeded position in a square canvas whose side it fills a seeded {fillLow:0.##}-{fillHigh:0.##} of (canvas at most {maxCanvas} px, the side `predict` decodes video at; {background} background): {frames.Count} frames.");
        w.WriteLine($"BlazeFace (default options) found a face in {detected.Count} ({Percent(detected.Count, frames.Count)}); each face is cropped with the default model's front end " +
                    $"(margin {crop.Margin:0.##}, shift {crop.VerticalShift:0.###}, {crop.Size} px grey) and classified by its visual branch (temperature {branch.Temperature:0.###}).");
        w.WriteLine($"Sharpness = variance of the 4-neighbour Laplacian of the 48 px grey crop / variance of the crop; shown relative to the reference {sharpRef:0.000} " +
                    $"(median over the s = {sizes.Max()}, σ = 0 frames{(o.ContainsKey("sharp-ref") ? ", given" : " of this sample")}).");
        w.WriteLine();

        var ceiling = branch.Classify(faces);
        w.WriteLine($"Ceiling, the original 48x48 images: accuracy {Accuracy(Enumerable.Range(0, items.Count).Select(i => ArgMax(ceiling.AsSpan(i * c, c)) == labels[i]).ToArray())}, " +
                    $"NLL {Enumerable.Range(0, items.Count).Average(i => Nll(ceiling.AsSpan(i * c, c), labels[i])):0.000}.");
        w.WriteLine();

        // Per-frame tables: accuracy and NLL as a function of each degradation and quality measure.
        w.WriteLine("## Single frames");
        w.WriteLine();
        Binned(w, "face side s (px, nominal)", frames, f => f.Size, sizes.Select(s => ((double)s, (double)s, s.ToString(CultureInfo.InvariantCulture))).ToArray(), labels);
        Binned(w, "blur σ (px at 48 px, nominal)", frames, f => f.Blur, blurs.Select(b => ((double)b, (double)b, b.ToString(CultureInfo.InvariantCulture))).ToArray(), labels);
        Grid(w, frames, sizes, blurs, labels);
        Binned(w, "detector score", detected, f => f.Score, Bins([0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001]), labels);
        Binned(w, "detected box side (canvas px)", detected, f => f.Side, Bins([0, 12, 16, 24, 32, 48, 72, 1000]), labels);
        Binned(w, "sharpness / reference", detected, f => f.Sharpness / sharpRef, Bins([0, 0.25, 0.5, 0.75, 1, 1.5, 100]), labels);

        // Clips: K frames of one image, mixed degradations; candidate aggregates compared with the plain mean.
        double Ramp(double v) => Math.Clamp(v, 0, 1);
        var rules = new List<Rule>
        {
            new("plain mean (today)", _ => 1),
            new("w = score", f => f.Score),
            new("w = min(1, side / 32)", f => Ramp(f.Side / 32)),
            new("w = min(1, sharpness / ref)", f => Ramp(f.Sharpness / sharpRef)),
            new("w = score · min(1, side / 32) · min(1, sharpness / ref)", f => f.Score * Ramp(f.Side / 32) * Ramp(f.Sharpness / sharpRef)),
            new("drop side < 16", f => f.Side < 16 ? 0 : 1),
            new("drop side < 24", f => f.Side < 24 ? 0 : 1),
            new("drop side < 32", f => f.Side < 32 ? 0 : 1),
            new("drop score < 0.7", f => f.Score < 0.7 ? 0 : 1),
            new("drop score < 0.8", f => f.Score < 0.8 ? 0 : 1),
            new("drop sharpness < 0.5 ref", f => f.Sharpness < 0.5 * sharpRef ? 0 : 1),
        };
        var byImage = frames.GroupBy(f => f.Image).ToDictionary(g => g.Key, g => g.ToDictionary(f => (f.Size, f.Blur)));
        w.WriteLine("## Clips");
        w.WriteLine();
        w.WriteLine($"{clipsPerImage} clips of K = {k} frames per image; frames without a detected face are left out (as `predict` leaves out frames with no tracked face). " +
                    "A rule whose weights are all zero in a clip falls back to the plain mean. Paired difference from the plain mean in percentage points; " +
                    $"SE and 95 % interval from {boot} bootstrap resamples of the images (a clip's frames and an image's clips are not independent).");
        w.WriteLine();
        var designs = new (string Name, Func<RandomStream, Func<RandomStream, (int, double)>> PerClip)[]
        {
            ("mixed: each frame's size and blur drawn independently", _ => r => versions[r.NextInt(versions.Length)]),
            ("steady size: one size per clip, each frame's blur drawn", r => { int s = sizes[r.NextInt(sizes.Length)]; return q => (s, blurs[q.NextInt(blurs.Length)]); }),
            ("steady size, blur bursts: one size per clip, each frame sharp (σ 0) with probability 1/2, else σ drawn from the rest",
                r => { int s = sizes[r.NextInt(sizes.Length)]; return q => (s, q.NextDouble() < 0.5 ? blurs[0] : blurs[1 + q.NextInt(blurs.Length - 1)]); }),
        };
        for (int d = 0; d < designs.Length; d++)
        {
            var (name, perClip) = designs[d];
            var clips = new List<(int Image, Frame[] Frames)>();
            var crng = new RandomStream(seed).Fork("clips", d);
            for (int i = 0; i < items.Count; i++)
                for (int j = 0; j < clipsPerImage; j++)
                {
                    var r = crng.Fork("clip", (long)i * clipsPerImage + j);
                    var draw = perClip(r);
                    clips.Add((i, Enumerable.Range(0, k).Select(_ => byImage[i][draw(r)]).Where(f => f.Detected).ToArray()));
                }
            Clips(w, name, clips, rules, labels, c, items.Count, boot, new RandomStream(seed).Fork("bootstrap"));
        }
        return 0;
    }

    /// <summary>Accuracy and NLL of each aggregate over the clips with at least one face, paired with the plain mean.</summary>
    private static void Clips(TextWriter w, string design, List<(int Image, Frame[] Frames)> clips, List<Rule> rules, int[] labels, int c, int images, int boot, RandomStream rng)
    {
        var usable = clips.Where(x => x.Frames.Length > 0).ToList();
        w.WriteLine($"### {design}");
        w.WriteLine();
        w.WriteLine($"{usable.Count} of {clips.Count} clips have at least one detected face (mean {usable.Average(x => x.Frames.Length):0.0} faces per clip).");
        w.WriteLine();
        var correct = new bool[rules.Count][];
        var nll = new double[rules.Count][];
        for (int r = 0; r < rules.Count; r++)
        {
            correct[r] = new bool[usable.Count];
            nll[r] = new double[usable.Count];
            for (int i = 0; i < usable.Count; i++)
            {
                var p = Aggregate(usable[i].Frames, rules[r].Weight, c);
                correct[r][i] = ArgMax(p) == labels[usable[i].Image];
                nll[r][i] = Nll(p, labels[usable[i].Image]);
            }
        }
        // Bootstrap over images: each resample draws images with replacement and takes all their clips.
        var clipsOf = usable.Select((x, i) => (x.Image, i)).GroupBy(x => x.Image).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());
        var present = clipsOf.Keys.ToArray();
        var draws = new int[boot][];
        for (int b = 0; b < boot; b++) draws[b] = Enumerable.Range(0, present.Length).Select(_ => present[rng.NextInt(present.Length)]).ToArray();
        w.WriteLine("| aggregate | clip accuracy ± SE | vs plain mean (paired) ± SE [95 % CI] | clip NLL | NLL vs plain mean ± SE |");
        w.WriteLine("|---|---:|---:|---:|---:|");
        for (int r = 0; r < rules.Count; r++)
        {
            var d = Enumerable.Range(0, usable.Count).Select(i => (correct[r][i] ? 1.0 : 0) - (correct[0][i] ? 1 : 0)).ToArray();
            var dn = Enumerable.Range(0, usable.Count).Select(i => nll[r][i] - nll[0][i]).ToArray();
            var (diff, se, lo, hi) = Bootstrap(d, clipsOf, draws);
            var (ndiff, nse, _, _) = Bootstrap(dn, clipsOf, draws);
            string paired = r == 0 ? "0" : FormattableString.Invariant($"{100 * diff:+0.00;-0.00;0.00} ± {100 * se:0.00} [{100 * lo:+0.00;-0.00;0.00}, {100 * hi:+0.00;-0.00;0.00}]");
            string npaired = r == 0 ? "0" : FormattableString.Invariant($"{ndiff:+0.0000;-0.0000;0.0000} ± {nse:0.0000}");
            w.WriteLine(FormattableString.Invariant($"| {rules[r].Name} | {Accuracy(correct[r])} | {paired} | {nll[r].Average():0.0000} | {npaired} |"));
        }
        w.WriteLine();
        // The two most accurate rules compared with each other, paired: is the best one better than the runner-up beyond noise?
        var ranked = Enumerable.Range(1, rules.Count - 1).OrderByDescending(r => correct[r].Count(x => x)).ToArray();
        var (a, b2) = (ranked[0], ranked[1]);
        var (bd, bse, blo, bhi) = Bootstrap(Enumerable.Range(0, usable.Count).Select(i => (correct[a][i] ? 1.0 : 0) - (correct[b2][i] ? 1 : 0)).ToArray(), clipsOf, draws);
        w.WriteLine(FormattableString.Invariant($"Best rule − runner-up: \"{rules[a].Name}\" − \"{rules[b2].Name}\" = {100 * bd:+0.00;-0.00;0.00} ± {100 * bse:0.00} [{100 * blo:+0.00;-0.00;0.00}, {100 * bhi:+0.00;-0.00;0.00}] pp."));
        w.WriteLine();
    }

    /// <summary>What the quality measures read on real clips: each video tracked and cropped as <c>predict</c> does.</summary>
    private static void Videos(TextWriter w, FaceBranch branch, IEnumerable<string> paths, double fps, double sharpRef)
    {
        w.WriteLine($"## Real clips ({fps:0.##} fps, tracked and cropped as `predict` does)");
        w.WriteLine();
        w.WriteLine("| clip | frames with a face | score min / median / max | box side min / median / max | sharpness / ref min / median / max | min(1, sharpness / ref) min |");
        w.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var path in paths)
        {
            var q = new List<(double Score, double Side, double Sharp)>();
            foreach (var f in branch.Tracker.Stream(MediaDecoder.OpenVideo(path, branch.Decoding(fps))))
                if (f.Track.Face is { } face)
                    q.Add((face.Score, Math.Max(face.Box.Width, face.Box.Height), Sharpness(FaceCropper.Crop(f.Frame.Image, face, branch.Input.CropOptions)) / sharpRef));
            string Three(Func<(double Score, double Side, double Sharp), double> v) => q.Count == 0 ? "–"
                : FormattableString.Invariant($"{q.Min(v):0.00} / {Median(q.Select(v)):0.00} / {q.Max(v):0.00}");
            w.WriteLine(FormattableString.Invariant($"| {Path.GetFileName(path)} | {q.Count} | {Three(x => x.Score)} | {Three(x => x.Side)} | {Three(x => x.Sharp)} | {(q.Count == 0 ? "–" : Math.Min(1, q.Min(x => x.Sharp)).ToString("0.00", CultureInfo.InvariantCulture))} |"));
        }
        w.WriteLine();
    }

    /// <summary>Mean of <paramref name="values"/> (one per clip) with its bootstrap SE and 95 % percentile interval, resampling images.</summary>
    private static (double Mean, double Se, double Low, double High) Bootstrap(double[] values, Dictionary<int, int[]> clipsOf, int[][] draws)
    {
        var stats = new double[draws.Length];
        for (int b = 0; b < draws.Length; b++)
        {
            double sum = 0; int count = 0;
            foreach (int image in draws[b]) foreach (int i in clipsOf[image]) { sum += values[i]; count++; }
            stats[b] = sum / count;
        }
        Array.Sort(stats);
        double mean = values.Average(), m = stats.Average();
        double se = Math.Sqrt(stats.Sum(s => (s - m) * (s - m)) / (stats.Length - 1));
        return (mean, se, stats[(int)(0.025 * (stats.Length - 1))], stats[(int)Math.Ceiling(0.975 * (stats.Length - 1))]);
    }

    /// <summary>Weighted mean of the frames' probabilities; the plain mean when every weight is zero.</summary>
    private static float[] Aggregate(Frame[] frames, Func<Frame, double> weight, int c)
    {
        var sum = new double[c];
        double total = 0;
        foreach (var f in frames)
        {
            double wt = weight(f);
            total += wt;
            for (int j = 0; j < c; j++) sum[j] += wt * f.P![j];
        }
        if (total <= 0) return Aggregate(frames, _ => 1, c);
        return sum.Select(v => (float)(v / total)).ToArray();
    }

    private static void Binned(TextWriter w, string what, List<Frame> frames, Func<Frame, double> value, (double Low, double High, string Name)[] bins, int[] labels)
    {
        w.WriteLine($"| {what} | frames | face detected | mean score | mean box side | mean sharpness (raw) | accuracy ± SE | NLL |");
        w.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (low, high, name) in bins)
        {
            var all = frames.Where(f => value(f) >= low && (value(f) < high || (low == high && value(f) == high))).ToList();
            var hit = all.Where(f => f.Detected).ToList();
            if (all.Count == 0) continue;
            string acc = hit.Count == 0 ? "–" : Accuracy(hit.Select(f => ArgMax(f.P!) == labels[f.Image]).ToArray());
            string nll = hit.Count == 0 ? "–" : hit.Average(f => Nll(f.P!, labels[f.Image])).ToString("0.000", CultureInfo.InvariantCulture);
            string Mean(Func<Frame, double> v) => hit.Count == 0 ? "–" : hit.Average(v).ToString("0.000", CultureInfo.InvariantCulture);
            w.WriteLine($"| {name} | {all.Count} | {Percent(hit.Count, all.Count)} | {Mean(f => f.Score)} | {Mean(f => f.Side)} | {Mean(f => f.Sharpness)} | {acc} | {nll} |");
        }
        w.WriteLine();
    }

    private static void Grid(TextWriter w, List<Frame> frames, int[] sizes, float[] blurs, int[] labels)
    {
        w.WriteLine("Accuracy (detected frames) by face side s and blur σ:");
        w.WriteLine();
        w.WriteLine($"| s \\ σ | {string.Join(" | ", blurs)} |");
        w.WriteLine($"|---|{string.Concat(blurs.Select(_ => "---:|"))}");
        foreach (int s in sizes)
        {
            var cells = blurs.Select(b =>
            {
                var hit = frames.Where(f => f.Size == s && f.Blur == b && f.Detected).ToList();
                return hit.Count == 0 ? "–" : FormattableString.Invariant($"{100.0 * hit.Count(f => ArgMax(f.P!) == labels[f.Image]) / hit.Count:0.0}");
            });
            w.WriteLine($"| {s} | {string.Join(" | ", cells)} |");
        }
        w.WriteLine();
    }

    private static (double, double, string)[] Bins(double[] edges) =>
        Enumerable.Range(0, edges.Length - 1).Select(i => (edges[i], edges[i + 1], FormattableString.Invariant($"[{edges[i]:0.##}, {(edges[i + 1] >= 100 ? "∞" : edges[i + 1].ToString("0.##", CultureInfo.InvariantCulture))})"))).ToArray();

    /// <summary>The 48 px grey face blurred by σ (px at 48 px) and rendered at side <paramref name="size"/>: area-averaged down, bilinear up.</summary>
    private static Image Degrade(Image face, int size, double sigma)
    {
        var blurred = sigma > 0 ? Blur(face, sigma) : face;
        return size < face.Width ? AreaDown(blurred, size) : blurred.Resize(size, size);
    }

    /// <summary>Separable Gaussian blur of a grey image, edges replicated, kernel radius ⌈3σ⌉.</summary>
    private static Image Blur(Image grey, double sigma)
    {
        int r = (int)Math.Ceiling(3 * sigma), wd = grey.Width, ht = grey.Height;
        var kernel = Enumerable.Range(-r, 2 * r + 1).Select(x => Math.Exp(-x * x / (2 * sigma * sigma))).ToArray();
        double norm = kernel.Sum();
        var tmp = new double[wd * ht];
        for (int y = 0; y < ht; y++)
            for (int x = 0; x < wd; x++)
            {
                double s = 0;
                for (int t = -r; t <= r; t++) s += kernel[t + r] * grey.Data[y * wd + Math.Clamp(x + t, 0, wd - 1)];
                tmp[y * wd + x] = s / norm;
            }
        var dst = new byte[wd * ht];
        for (int y = 0; y < ht; y++)
            for (int x = 0; x < wd; x++)
            {
                double s = 0;
                for (int t = -r; t <= r; t++) s += kernel[t + r] * tmp[Math.Clamp(y + t, 0, ht - 1) * wd + x];
                dst[y * wd + x] = (byte)Math.Clamp(Math.Round(s / norm), 0, 255);
            }
        return new Image(wd, ht, 1, dst);
    }

    /// <summary>Area-averaging downscale of a square grey image (what a camera's sensor does to a small face), separable.</summary>
    private static Image AreaDown(Image grey, int size)
    {
        int src = grey.Width;
        double ratio = (double)src / size;
        // Weight of source pixel j in destination pixel i: the overlap of [j, j+1) with [i·ratio, (i+1)·ratio).
        var weights = new double[size, src];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < src; j++)
                weights[i, j] = Math.Max(0, Math.Min(j + 1, (i + 1) * ratio) - Math.Max(j, i * ratio)) / ratio;
        var tmp = new double[src * size];
        for (int y = 0; y < src; y++)
            for (int i = 0; i < size; i++)
            {
                double s = 0;
                for (int j = 0; j < src; j++) s += weights[i, j] * grey.Data[y * src + j];
                tmp[y * size + i] = s;
            }
        var dst = new byte[size * size];
        for (int i = 0; i < size; i++)
            for (int x = 0; x < size; x++)
            {
                double s = 0;
                for (int j = 0; j < src; j++) s += weights[i, j] * tmp[j * size + x];
                dst[i * size + x] = (byte)Math.Clamp(Math.Round(s), 0, 255);
            }
        return new Image(size, size, 1, dst);
    }

    /// <summary>
    /// The face put at a random place in a square canvas whose side makes the face fill a random fraction in
    /// [low, high] of it (at most <paramref name="maxSide"/> px; its edge pixels replicated, or grey), as RGB.
    /// </summary>
    private static Image Place(Image face, double low, double high, int maxSide, string background, RandomStream rng)
    {
        int s = face.Width;
        int side = Math.Clamp((int)Math.Round(s / (low + (high - low) * rng.NextDouble())), s, Math.Max(s, maxSide));
        int x0 = rng.NextInt(side - s + 1), y0 = rng.NextInt(side - s + 1);
        var canvas = new byte[side * side];
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                int u = x - x0, v = y - y0;
                bool inside = (uint)u < (uint)s && (uint)v < (uint)s;
                canvas[y * side + x] = inside || background == "edge" ? face.Data[Math.Clamp(v, 0, s - 1) * s + Math.Clamp(u, 0, s - 1)] : (byte)128;
            }
        return new Image(side, side, 1, canvas).ToRgb();
    }

    /// <summary>The crop's sharpness as the product measures it (<see cref="Inference.Branches.FaceQuality.Sharpness"/>: Laplacian variance / pixel variance).</summary>
    private static double Sharpness(Image grey) => Inference.Branches.FaceQuality.Sharpness(grey);

    private static int ArgMax(ReadOnlySpan<float> p) => TensorPrimitives.IndexOfMax(p);

    private static double Nll(ReadOnlySpan<float> p, int label) => -Math.Log(Math.Max(p[label], 1e-12));

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length == 0 ? 1 : s[s.Length / 2];
    }

    private static string Accuracy(bool[] correct)
    {
        double n = correct.Length, p = correct.Count(x => x) / n;
        return FormattableString.Invariant($"{100 * p:0.0} ± {100 * Math.Sqrt(p * (1 - p) / n):0.0} %");
    }






    private static (double, double) Range(string v)
    {
        var p = v.Split('-');
        return (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[^1], CultureInfo.InvariantCulture));
    }

}
