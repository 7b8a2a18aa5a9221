using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Models.Calibration;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Tensors;

namespace Aver.Inference.Branches;

/// <summary>
/// The audio branch: MRPN's audio-modality network (AM, Table 1) over the clip's 1-s spectrogram segments
/// (every 0.2 s, MRPN §4.4), average-pooled by <see cref="Pool"/> as in training. The clip's label comes from the whole
/// sequence; each timeline window is the sequence of segments whose centre lies in it. Logits are divided by the
/// calibrated <see cref="Temperature"/> before the softmax.
/// </summary>
public sealed class AudioBranch
{
    public const string BranchName = "audio";

    /// <summary>RMS below this (−60 dBFS) counts as silence: standardising it would only amplify noise.</summary>
    public const double SilenceRms = 1e-3;

    public AudioBranch(UnimodalNetwork network, LabelSpace labels, int pool, float temperature, MrpnAudioOptions? features = null)
    {
        Network = network;
        Labels = labels;
        Pool = pool >= 1 ? pool : throw new ArgumentOutOfRangeException(nameof(pool), pool, "pool factor must be at least 1");
        Temperature = temperature > 0 ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        Features = features ?? new MrpnAudioOptions();
        Network.Eval();
    }

    public UnimodalNetwork Network { get; }
    public LabelSpace Labels { get; }
    public int Pool { get; }
    public float Temperature { get; }
    public MrpnAudioOptions Features { get; }

    /// <summary>Pooled segments [S, 1, H, W] of <paramref name="audio"/> and their times.</summary>
    public MrpnAudioSegments Segments(AudioBuffer audio)
    {
        var seg = MrpnAudio.Compute(audio, Features);
        if (Pool == 1) return seg;
        using (GradMode.NoGrad()) return seg with { Spectrograms = seg.Spectrograms.AvgPool2d(Pool) };
    }

    /// <summary>Raw scores [N, classes] of padded segment sequences [N, T, 1, H, W].</summary>
    public float[] Logits(SequenceBatch batch)
    {
        using var _ = GradMode.NoGrad();
        return Network.Forward(batch.Steps, batch.Lengths).Data;
    }

    /// <summary>Runs the branch on <paramref name="audio"/> for the clip and for each of <paramref name="windows"/>.</summary>
    public BranchOutput Run(AudioBuffer audio, IReadOnlyList<TimeWindow> windows)
    {
        if (Rms(audio.Samples) < SilenceRms)
            return BranchOutput.Without(BranchName, BranchStatus.Silent, windows.Count, $"the audio is silent (RMS below {20 * Math.Log10(SilenceRms):F0} dBFS)");
        var seg = Segments(audio);
        var x = seg.Spectrograms;
        var sequences = new List<Tensor> { x };
        var owners = new List<int> { -1 };
        for (int w = 0; w < windows.Count; w++)
        {
            var inside = new List<int>();
            for (int s = 0; s < seg.Count; s++)
                if (windows[w].Contains((seg.Times[s].Start + seg.Times[s].End) / 2)) inside.Add(s);
            if (inside.Count == 0) continue;
            sequences.Add(x.IndexSelect(0, inside.ToArray()));
            owners.Add(w);
        }
        var logits = Logits(SequenceBatch.Pad(sequences));
        int c = Labels.Count;
        var result = new ClassProbabilities?[windows.Count];
        ClassProbabilities clip = null!;
        for (int i = 0; i < owners.Count; i++)
        {
            var p = new float[c];
            TemperatureScaling.Softmax(logits.AsSpan(i * c, c), Temperature, p);
            var probabilities = new ClassProbabilities(Labels, p);
            if (owners[i] < 0) clip = probabilities;
            else result[owners[i]] = probabilities;
        }
        return new BranchOutput(BranchName, BranchStatus.Used, clip, result, seg.Count, audio.Duration, null);
    }

    /// <summary>Root mean square of <paramref name="samples"/> (0 for none); below <see cref="SilenceRms"/> a clip counts as silent.</summary>
    internal static double Rms(float[] samples)
    {
        if (samples.Length == 0) return 0;
        double sq = 0;
        foreach (float v in samples) sq += (double)v * v;
        return Math.Sqrt(sq / samples.Length);
    }
}
