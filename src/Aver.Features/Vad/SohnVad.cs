using Aver.Features.Avef;
using Aver.Features.Signal;
using Aver.Media;
using Aver.Tensors;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Aver.Features.Vad;

/// <summary>
/// Statistical voice activity detection after Sohn et al. (1999): per bin, Gaussian speech and noise
/// give the likelihood ratio log L_k = gamma_k xi_k / (1 + xi_k) - log(1 + xi_k) with the a-posteriori
/// SNR gamma_k = |X_k|^2 / lambda_N(k) and the decision-directed a-priori SNR
/// xi_k = alpha G^2 gamma_k(t-1) + (1 - alpha) max(gamma_k - 1, 0); the frame's ratio is the mean over
/// bins, smoothed by the two-state HMM hang-over of their eq. 11 and thresholded, then held for a few
/// frames. The noise spectrum starts from the quietest frames of the clip and tracks non-speech frames.
/// Gives AVEF's emotion weights per frame (§2.1.1: 1 voice, 0 silence).
/// </summary>
public static class SohnVad
{
    /// <summary>Per-frame 0/1 decisions for <paramref name="audio"/> on AVEF's frames (25 ms every 10 ms at 16 kHz; see <see cref="AvefFrames"/>).</summary>
    public static byte[] Detect(AudioBuffer audio, SohnVadOptions? options = null, AvefAudioOptions? framing = null)
    {
        var f = framing ?? new AvefAudioOptions();
        audio = Resampler.Resample(audio, f.SampleRate);
        return Detect(AvefFrames.PowerSpectrum(audio.Samples, f), options);
    }

    /// <summary>Per-frame 0/1 decisions from a power spectrogram [frames, bins].</summary>
    public static byte[] Detect(Tensor power, SohnVadOptions? options = null)
    {
        var o = options ?? new SohnVadOptions();
        var scores = Scores(power, o, out var raw);
        var decisions = new byte[scores.Length];
        int hold = 0;
        for (int t = 0; t < scores.Length; t++)
        {
            bool speech = scores[t] > o.Threshold;
            if (speech) hold = o.HangoverFrames;
            else if (hold > 0) { hold--; speech = true; }
            decisions[t] = speech ? (byte)1 : (byte)0;
        }
        return decisions;
    }

    /// <summary>
    /// Per-frame HMM-smoothed log-likelihood ratios log Gamma(t) (Sohn eq. 11) of a power spectrogram
    /// [frames, bins]; <paramref name="frameLogRatios"/> receives the unsmoothed mean log Lambda(t).
    /// </summary>
    public static double[] Scores(Tensor power, SohnVadOptions options, out double[] frameLogRatios)
    {
        var o = options;
        if (power.Rank != 2) throw new ShapeException($"SohnVad: power spectrogram {ShapeMath.Format(power.Shape)} must be [frames, bins]");
        int frames = power.Dim(0), bins = power.Dim(1);
        var scores = new double[frames];
        frameLogRatios = new double[frames];
        if (frames == 0) return scores;
        var p = power.Data;
        var noise = InitialNoise(p, frames, bins, o.NoiseQuantile, out double floor, o.NoiseFloorDb);
        // Per-bin work in float spans (vectorised); the frame ratio and the HMM recursion in double.
        var noiseF = Array.ConvertAll(noise, v => (float)v);
        var prevGain2Gamma = new float[bins]; // G^2 gamma of the previous frame, i.e. |A_hat|^2 / lambda_N
        var gamma = new float[bins];
        var xi = new float[bins];
        var tmp = new float[bins];
        float alpha = (float)o.DecisionDirectedAlpha, minXi = (float)o.MinPrioriSnr, update = (float)o.NoiseUpdate, floorF = (float)floor;
        double a01 = o.NoiseToSpeech, a00 = 1 - a01, a10 = o.SpeechToNoise, a11 = 1 - a10;
        double logGamma = 0; // log of the HMM-smoothed ratio
        for (int t = 0; t < frames; t++)
        {
            var row = p.AsSpan(t * bins, bins);
            TP.Divide(row, noiseF, gamma);
            TP.Min(gamma, 1e6f, gamma);
            // xi = alpha G^2 gamma(t-1) + (1 - alpha) max(gamma - 1, 0), floored (first frame: the ML estimate)
            TP.Subtract(gamma, 1f, tmp);
            TP.Max(tmp, 0f, tmp);
            if (t == 0) tmp.CopyTo(xi);
            else { TP.Multiply(prevGain2Gamma, alpha, xi); TP.MultiplyAdd(tmp, 1 - alpha, xi, xi); }
            TP.Max(xi, minXi, xi);
            // log Lambda_k = gamma xi / (1 + xi) - log(1 + xi); tmp = G = xi / (1 + xi)
            TP.Add(xi, 1f, tmp);
            TP.Divide(xi, tmp, tmp);
            TP.Add(xi, 1f, xi);
            TP.Log(xi, xi);
            double llr = (TP.Dot(gamma, tmp) - TP.Sum(xi)) / bins;
            TP.Multiply(tmp, tmp, tmp);
            TP.Multiply(tmp, gamma, prevGain2Gamma); // the Wiener amplitude estimate feeds the next frame's xi
            // Sohn eq. 11: Gamma(t) = (a01 + a11 Gamma(t-1)) / (a00 + a10 Gamma(t-1)) * Lambda(t), in logs.
            double prev = Math.Exp(Math.Clamp(logGamma, -50, 50));
            logGamma = Math.Clamp(llr + Math.Log((a01 + a11 * prev) / (a00 + a10 * prev)), -50, 50);
            scores[t] = logGamma;
            frameLogRatios[t] = llr;
            if (llr <= o.NoiseUpdateThreshold)
            {
                TP.Multiply(noiseF, update, noiseF);
                TP.MultiplyAdd(row, 1 - update, noiseF, noiseF);
                TP.Max(noiseF, floorF, noiseF);
            }
        }
        return scores;
    }

    /// <summary>The fraction of frames marked speech (0 for no frames).</summary>
    public static double SpeechFraction(ReadOnlySpan<byte> decisions, int start = 0, int count = -1)
    {
        if (count < 0) count = decisions.Length - start;
        int end = Math.Min(decisions.Length, start + count), speech = 0;
        for (int i = Math.Max(0, start); i < end; i++) speech += decisions[i];
        return count == 0 ? 0 : (double)speech / count;
    }

    // Mean spectrum of the quietest frames: a clip may not start with silence, but nearly every clip has some.
    // The floor (NoiseFloorDb below the loud frames' level, and above float noise) keeps digital silence
    // from making every faint sound of a recording look like speech: Sohn's test is a signal-to-noise
    // test, so without it a room tone 30 dB over the quietest frames but 40 dB under the voice passes.
    private static double[] InitialNoise(float[] p, int frames, int bins, double quantile, out double floor, double floorDb)
    {
        var energy = new double[frames];
        var order = new int[frames];
        for (int t = 0; t < frames; t++)
        {
            double e = 0;
            for (int k = 0; k < bins; k++) e += p[t * bins + k];
            energy[t] = e; order[t] = t;
        }
        Array.Sort(energy, order);
        int take = Math.Clamp((int)Math.Ceiling(quantile * frames), Math.Min(5, frames), frames);
        var noise = new double[bins];
        for (int i = 0; i < take; i++)
            for (int k = 0; k < bins; k++) noise[k] += p[order[i] * bins + k];
        double loud = energy[Math.Min(frames - 1, (int)(0.95 * frames))] / bins;
        floor = Math.Max(1e-10, loud * Math.Pow(10, floorDb / 10));
        for (int k = 0; k < bins; k++) noise[k] = Math.Max(noise[k] / take, floor);
        return noise;
    }
}
