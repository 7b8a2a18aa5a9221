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
Engine.Threads = threads;

var files = Directory.GetFiles(folder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(maxFiles).ToArray();
if (files.Length == 0) { Console.Error.WriteLine($"{folder}: no .wav files"); return 1; }
var clips = files.Select(Wav.ReadMono).ToArray();
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
return 0;

string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
