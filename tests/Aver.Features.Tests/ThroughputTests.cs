using System.Diagnostics;
using Aver.Features.Avef;
using Aver.Features.Mrpn;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Tensors;
using Xunit.Abstractions;

namespace Aver.Features.Tests;

/// <summary>
/// Feature throughput in seconds of audio per second, on RAVDESS clips, one and two threads.
/// A measurement, not a check: runs only with AVER_FEATURE_THROUGHPUT=1, e.g.
/// <c>AVER_FEATURE_THROUGHPUT=1 dotnet test tests/Aver.Features.Tests -c Release --filter Throughput --logger "console;verbosity=detailed"</c>.
/// </summary>
public class ThroughputTests(ITestOutputHelper output)
{
    [FactRequires(Need.ThroughputRun | Need.SharedData)]
    public void Throughput()
    {
        var clips = Directory.GetFiles(TestPaths.Data("ravdess", "speech16k", "Actor_02"), "*.wav").OrderBy(f => f).Select(Wav.ReadMono).ToArray();
        double seconds = clips.Sum(c => c.Duration);
        int saved = Engine.Threads;
        try
        {
            foreach (var (name, run) in new (string, Action<AudioBuffer>)[]
            {
                ("MRPN spectrogram segments", a => MrpnAudio.Compute(a)),
                ("AVEF log-mel + delta stacks", a => AvefAudio.Compute(a)),
                ("Sohn VAD", a => SohnVad.Detect(a)),
                ("AVEF + VAD + selection", a => SegmentSelection.Apply(AvefAudio.Compute(a), SohnVad.Detect(a))),
            })
            {
                Engine.Threads = 1;
                foreach (var c in clips.Take(5)) run(c); // warm-up (JIT, plans)
                var (one, oneCpu) = Measure(() => { foreach (var c in clips) run(c); });
                Engine.Threads = 2; // parallel inside each clip (frames, segments)
                var (inner, _) = Measure(() => { foreach (var c in clips) run(c); });
                Engine.Threads = 1; // two clips at a time, each single-threaded
                var (outer, _) = Measure(() => Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = 2 }, run));
                output.WriteLine($"{name}: {clips.Length} clips, {seconds:0.0} s of audio: 1 thread {seconds / one:0}x real time " +
                    $"({seconds / oneCpu:0}x per CPU-second); 2 threads within a clip {seconds / inner:0}x; 2 clips at once {seconds / outer:0}x");
            }
        }
        finally { Engine.Threads = saved; }
        if (File.Exists("/proc/loadavg")) output.WriteLine("load average: " + File.ReadAllText("/proc/loadavg").Trim());
    }

    // Best of three: wall seconds and this process's CPU seconds (the fairer figure on a shared, loaded machine).
    private static (double Wall, double Cpu) Measure(Action run)
    {
        double best = double.MaxValue, bestCpu = double.MaxValue;
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < 3; r++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            run();
            double wall = sw.Elapsed.TotalSeconds;
            process.Refresh();
            best = Math.Min(best, wall);
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu0).TotalSeconds);
        }
        return (best, bestCpu);
    }
}
