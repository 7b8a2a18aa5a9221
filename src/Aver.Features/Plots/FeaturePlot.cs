using Aver.Features.Avef;
using Aver.Features.Mrpn;
using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Media.Drawing;

namespace Aver.Features.Plots;

/// <summary>What <see cref="FeaturePlot.Draw"/> computed: the picture and the numbers behind it.</summary>
/// <param name="Image">The figure (RGB).</param>
/// <param name="Duration">Clip length in seconds.</param>
/// <param name="SpeechFraction">Share of AVEF frames the VAD marks as speech.</param>
/// <param name="MrpnSegments">MRPN segments of the clip, each [1, 256, 250].</param>
/// <param name="AvefSegments">AVEF segments of the clip, each [3, 64, 64].</param>
/// <param name="Panels">The panel titles, top to bottom.</param>
public sealed record FeaturePlotResult(Image Image, double Duration, double SpeechFraction, int MrpnSegments, int AvefSegments, string[] Panels);

/// <summary>
/// One picture of a clip's audio features: the waveform with the VAD's speech frames shaded, the MRPN
/// log-magnitude spectrogram of the whole standardised clip (Hann 512, hop 64, 256 bins; MRPN §4.4), and
/// the AVEF log-mel, delta and delta-delta planes (AVEF §2.1.1, like its Figure 3) over the whole clip,
/// with the segment starts ticked. All panels share one time axis.
/// </summary>
public static class FeaturePlot
{
    private const int Width = 1000, Left = 64, Right = 16, PlotWidth = Width - Left - Right;
    private static readonly Rgb Ink = Rgb.FromGray(30), Muted = Rgb.FromGray(110), Speech = new(198, 232, 198), Wave = new(40, 70, 140);

    /// <summary>Computes the features of <paramref name="audio"/> (any rate; resampled to 16 kHz) and draws them under <paramref name="title"/>.</summary>
    public static FeaturePlotResult Draw(AudioBuffer audio, string title)
    {
        var mrpnOptions = new MrpnAudioOptions();
        var avefOptions = new AvefAudioOptions();
        audio = Resampler.Resample(audio, mrpnOptions.SampleRate);
        if (audio.Samples.Length == 0) throw new ArgumentException($"{title}: the audio track is empty");
        double duration = audio.Duration;

        var vad = SohnVad.Detect(audio, framing: avefOptions);
        double speech = SohnVad.SpeechFraction(vad);
        int mrpnCount = MrpnAudio.Compute(audio, mrpnOptions).Count;
        var avef = AvefAudio.Compute(audio, avefOptions);

        // Whole-clip planes (the segments are windows of these).
        var standardised = Standardization.Apply(audio.Samples);
        var spec = Stft.Compute(standardised.Length > mrpnOptions.NFft / 2 ? standardised : Pad(standardised, mrpnOptions.NFft / 2 + 1),
            mrpnOptions.NFft, mrpnOptions.HopLength, Windows.Hann(mrpnOptions.NFft));
        int specFrames = spec.Dim(0), specBins = spec.Dim(1);
        var logSpec = new float[specFrames * mrpnOptions.Bins]; // [frames, 256]
        for (int f = 0; f < specFrames; f++)
            for (int k = 0; k < mrpnOptions.Bins; k++) logSpec[f * mrpnOptions.Bins + k] = MathF.Log(spec.Data[f * specBins + k] + mrpnOptions.LogEpsilon);
        var logMel = AvefAudio.LogMel(audio, avefOptions);                        // [frames, 64]
        var d1 = Deltas.Compute(logMel, avefOptions.DeltaN);
        var d2 = Deltas.Compute(d1, avefOptions.DeltaN);

        string[] panels =
        [
            $"WAVEFORM; SHADED: SPEECH BY SOHN VAD ({speech * 100:0}% OF FRAMES)",
            $"MRPN LOG-MAGNITUDE SPECTROGRAM, HANN 512 / HOP 64, 0-8 KHZ: {mrpnCount} SEGMENTS [1,256,250], 1 S EVERY 0.2 S",
            $"AVEF LOG-MEL, DELTA, DELTA-DELTA (64 BANDS, 25/10 MS): {avef.Count} SEGMENTS [3,64,64], 64 FRAMES EVERY 34",
        ];
        const int waveH = 110, specH = 256, melH = 80, captionH = 16, axisH = 24, gap = 10;
        int height = 36 + (captionH + waveH + axisH + gap) + (captionH + specH + axisH + gap) + (captionH + 3 * (melH + 4) + axisH) + 8;
        var canvas = new Canvas(Width, height, Rgb.White);
        canvas.Text(Left, 10, title, Ink, scale: 2);
        int y = 36;

        // Waveform: per pixel column the min..max of its samples, over the speech shading.
        canvas.Text(Left, y, panels[0], Ink); y += captionH;
        for (int px = 0; px < PlotWidth; px++)
        {
            double t = (px + 0.5) / PlotWidth * duration;
            int frame = (int)Math.Round((t * avefOptions.SampleRate - avefOptions.FrameLength / 2.0) / avefOptions.FrameShift);
            if (frame >= 0 && frame < vad.Length && vad[frame] == 1) canvas.FillRect(Left + px, y, 1, waveH, Speech);
        }
        // MaxMagnitude returns the signed element of largest magnitude.
        float peak = Math.Max(1e-6f, MathF.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(audio.Samples)));
        for (int px = 0; px < PlotWidth; px++)
        {
            int a = (int)((long)px * audio.Samples.Length / PlotWidth), b = Math.Max(a + 1, (int)((long)(px + 1) * audio.Samples.Length / PlotWidth));
            var span = audio.Samples.AsSpan(a, Math.Min(b, audio.Samples.Length) - a);
            float lo = System.Numerics.Tensors.TensorPrimitives.Min(span), hi = System.Numerics.Tensors.TensorPrimitives.Max(span);
            int y0 = y + Math.Clamp((int)((1 - hi / peak) * (waveH - 1) / 2), 0, waveH - 1), y1 = y + Math.Clamp((int)((1 - lo / peak) * (waveH - 1) / 2), 0, waveH - 1);
            canvas.FillRect(Left + px, y0, 1, Math.Max(1, y1 - y0 + 1), Wave);
        }
        canvas.FillRect(Left, y + waveH / 2, PlotWidth, 1, Muted);
        canvas.DrawRect(Left - 1, y - 1, PlotWidth + 2, waveH + 2, Muted);
        canvas.Text(8, y, "PEAK", Muted); canvas.Text(8, y + 10, FormatPeak(peak), Muted);
        y += waveH; TimeAxis(canvas, y, duration); y += axisH + gap;

        // MRPN spectrogram: frame f is centred on sample 64 f; one column per pixel by time.
        canvas.Text(Left, y, panels[1], Ink); y += captionH;
        var (sLo, sHi) = Range(logSpec, 0.02, 0.995);
        canvas.Heatmap(Left, y, PlotWidth, specH, Transpose(logSpec, specFrames, mrpnOptions.Bins), mrpnOptions.Bins, specFrames, sLo, sHi, Colormap.Viridis);
        canvas.DrawRect(Left - 1, y - 1, PlotWidth + 2, specH + 2, Muted);
        for (int khz = 0; khz <= 8; khz += 2)
        {
            int yy = y + specH - 1 - (int)Math.Round(khz / 8.0 * (specH - 1));
            canvas.FillRect(Left - 5, yy, 4, 1, Ink);
            string label = khz == 0 ? "0" : $"{khz}K";
            canvas.Text(Left - 8 - Canvas.TextWidth(label), yy - 3, label, Ink);
        }
        canvas.Text(8, y + specH / 2 - 3, "HZ", Muted);
        for (int s = 0; s < mrpnCount; s++) Tick(canvas, y - 1, s * mrpnOptions.SegmentHopSamples / (double)mrpnOptions.SampleRate, duration);
        y += specH; TimeAxis(canvas, y, duration); y += axisH + gap;

        // AVEF planes: log-mel (viridis) and the deltas (diverging, symmetric about zero).
        canvas.Text(Left, y, panels[2], Ink); y += captionH;
        int melFrames = logMel.Dim(0), mels = avefOptions.Mels;
        foreach (var (plane, name, signed) in new[] { (logMel.Data, "LOG-MEL", false), (d1.Data, "DELTA", true), (d2.Data, "DELTA2", true) })
        {
            var (lo, hi) = signed ? Symmetric(plane) : Range(plane, 0.02, 0.995);
            // The AVEF frames cover [0, 160 (frames - 1) + 400) samples: map that span onto the time axis.
            int w = (int)Math.Round(PlotWidth * Math.Min(1, ((melFrames - 1) * avefOptions.FrameShift + avefOptions.FrameLength) / (double)audio.Samples.Length));
            canvas.Heatmap(Left, y, Math.Max(1, w), melH, Transpose(plane, melFrames, mels), mels, melFrames, lo, hi, signed ? Colormap.Diverging : Colormap.Viridis);
            canvas.DrawRect(Left - 1, y - 1, PlotWidth + 2, melH + 2, Muted);
            canvas.Text(8, y + melH / 2 - 3, name, Ink);
            foreach (var first in avef.FirstFrames) Tick(canvas, y - 1, avefOptions.FrameTime(first).Start, duration);
            y += melH + 4;
        }
        TimeAxis(canvas, y - 4, duration);
        return new FeaturePlotResult(canvas.ToImage(), duration, speech, mrpnCount, avef.Count, panels);
    }

    private static float[] Pad(float[] x, int length) { Array.Resize(ref x, length); return x; }

    private static string FormatPeak(float peak) => peak.ToString(peak >= 10 ? "0" : "0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Ticks every 0.5 s (1 s past 8 s, 5 s past 20 s), whole seconds labelled, below a panel whose bottom edge is <paramref name="y"/>.</summary>
    private static void TimeAxis(Canvas canvas, int y, double duration)
    {
        double step = duration > 20 ? 5 : duration > 8 ? 1 : 0.5;
        for (int i = 0; i * step <= duration + 1e-9; i++)
        {
            double t = i * step;
            int x = Left + (int)Math.Round(t / duration * (PlotWidth - 1));
            bool major = Math.Abs(t - Math.Round(t)) < 1e-9; // whole seconds
            canvas.FillRect(x, y + 1, 1, major ? 5 : 3, Ink);
            if (major)
            {
                string label = $"{t:0} S";
                canvas.Text(Math.Clamp(x - Canvas.TextWidth(label) / 2, 0, Width - Canvas.TextWidth(label)), y + 9, label, Ink);
            }
        }
    }

    /// <summary>A short tick above a panel at time <paramref name="t"/>: where a segment starts.</summary>
    private static void Tick(Canvas canvas, int y, double t, double duration) =>
        canvas.FillRect(Left + (int)Math.Round(t / duration * (PlotWidth - 1)), y - 4, 1, 4, new Rgb(200, 60, 40));

    /// <summary>[rows, cols] -> [cols, rows].</summary>
    private static float[] Transpose(ReadOnlySpan<float> src, int rows, int cols)
    {
        var dst = new float[src.Length];
        BlockTranspose.Into(src, rows, cols, cols, dst, rows, 0);
        return dst;
    }

    /// <summary>Colour range from quantiles, so one loud click or silent bin does not wash out the picture.</summary>
    private static (float Lo, float Hi) Range(ReadOnlySpan<float> values, double low, double high)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return (sorted[(int)(low * (sorted.Length - 1))], sorted[(int)(high * (sorted.Length - 1))]);
    }

    private static (float Lo, float Hi) Symmetric(ReadOnlySpan<float> values)
    {
        var abs = new float[values.Length];
        System.Numerics.Tensors.TensorPrimitives.Abs(values, abs);
        var (_, m) = Range(abs, 0, 0.99);
        return (-Math.Max(m, 1e-6f), Math.Max(m, 1e-6f));
    }
}
