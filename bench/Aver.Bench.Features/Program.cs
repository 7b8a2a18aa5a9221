// Feature throughput for `bench/features/run.sh`: the MRPN spectrogram segments and the AVEF log-mel + delta
// stacks of one hour of 16 kHz speech (the shared RAVDESS speech16k files, looped), clip by clip as training
// computes them. The torchaudio side is bench/features/torchaudio_bench.py; both print one JSON line per front end.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aver.Features.Avef;
using Aver.Features.Mrpn;
using Aver.Media;
using Aver.Tensors;

string folder = Arg("--data", "../shared/data/ravdess/speech16k");
double hours = double.Parse(Arg("--hours", "1"), CultureInfo.InvariantCulture);
int threads = int.Parse(Arg("--threads", "1"), CultureInfo.InvariantCulture);
int maxFiles = int.Parse(Arg("--files", "240"), CultureInfo.InvariantCulture);
string[] only = Arg("--features", "mrpn,avef").Split(',');
// A long-lived large array (MB), as a process with a loaded model holds on the large-object heap: while one lives
// there the GC returns each clip's freed output to the OS, and the next output is faulted in afresh (see the README).
int liveMb = int.Parse(Arg("--live-mb", "0"), CultureInfo.InvariantCulture);
var live = liveMb > 0 ? new float[liveMb * 262144] : null;
Engine.Threads = threads;

var files = Directory.GetFiles(folder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(maxFiles).ToArray();
if (files.Length == 0) { Console.Error.WriteLine($"{folder}: no .wav files"); return 1; }
var clips = files.Select(Wav.ReadMono).ToArray();
string? check = args.Contains("--check") ? Arg("--check", "") : null;
if (check is not null) return Agreement(check, clips[0]);
// The clip sequence: the files in order, looped until the hour is reached.
var sequence = new List<AudioBuffer>();
double total = 0;
for (int i = 0; total < hours * 3600; i++) { sequence.Add(clips[i % clips.Length]); total += clips[i % clips.Length].Duration; }

foreach (var (name, run) in new (string, Func<AudioBuffer, int>)[]
{
    ("mrpn", a => MrpnAudio.Compute(a).Count),
    ("avef", a => AvefAudio.Compute(a).Count),
})
{
    if (Array.IndexOf(only, name) < 0) continue;
    // Warm-up (FFT plans, filter banks, JIT tiers) for 2 s of clips: a method reaches tier 1 after 30 calls that
    // follow 100 ms without new tier-0 code, compiled in the background, so the former 60 clips (0.1-0.2 s) left
    // much of the timed run at tier 0 or OSR (AVEF measured 4000x real time that way, 7900x with tiering off).
    var warmUp = Stopwatch.StartNew();
    do foreach (var c in clips.Take(60)) run(c);
    while (warmUp.Elapsed.TotalSeconds < 2);
    GC.Collect();
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    long segments = 0;
    foreach (var c in sequence) segments += run(c);
    double wall = sw.Elapsed.TotalSeconds;
    process.Refresh();
    double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        side = "aver", features = name, threads, clips = sequence.Count, audio_seconds = Math.Round(total, 1), segments,
        wall_seconds = Math.Round(wall, 3), cpu_seconds = Math.Round(cpu, 3),
        x_real_time = Math.Round(total / wall, 1), x_real_time_per_cpu_second = Math.Round(total / cpu, 1),
    }));
}
GC.KeepAlive(live);
return 0;

// Both front ends' outputs for the first file against torchaudio's (written by torchaudio_bench.py --dump): the
// largest absolute difference, within the README's bounds (MRPN 4e-3 in the log domain, from float rounding of
// near-silent bins; AVEF 1e-5) or the run fails.
static int Agreement(string folder, AudioBuffer clip)
{
    bool ok = true;
    foreach (var (name, output, bound) in new (string, Tensor, double)[]
    {
        ("mrpn", MrpnAudio.Compute(clip).Spectrograms, 4e-3),
        ("avef", AvefAudio.Compute(clip).Stacks, 1e-5),
    })
    {
        var shape = File.ReadAllText(Path.Combine(folder, name + ".shape")).Split(' ').Select(int.Parse).ToArray();
        var torch = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, name + ".f32")));
        bool same = shape.AsSpan().SequenceEqual(output.Shape);
        double worst = 0;
        if (same) for (int i = 0; i < torch.Length; i++) worst = Math.Max(worst, Math.Abs(torch[i] - output.Data[i]));
        ok &= same && worst <= bound;
        Console.WriteLine($"agreement {name}: shape [{string.Join(", ", output.Shape.ToArray())}] vs torchaudio [{string.Join(", ", shape)}], " +
            $"max |difference| {worst:G3} (bound {bound:G1}){(same && worst <= bound ? "" : "  FAILED")}");
    }
    return ok ? 0 : 1;
}

string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
