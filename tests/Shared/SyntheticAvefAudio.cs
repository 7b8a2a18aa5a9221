using Aver.Tensors;

namespace Aver.Testing;

/// <summary>
/// Generated AVEF audio segments [S, 3, 64, 64] that two labels tell apart: noise in [-0.5, 0.5) plus a raised
/// band of rows (4-19 for label 1, 40-55 otherwise), so a tiny audio-net learns them in one epoch.
/// </summary>
public static class SyntheticAvefAudio
{
    public static Tensor Segments(RandomStream rng, int label, int segments)
    {
        var a = new Tensor(segments, 3, 64, 64);
        for (int i = 0; i < a.Size; i++) a.Data[i] = (float)(rng.NextDouble() - 0.5);
        for (int s = 0; s < segments; s++)
            for (int ch = 0; ch < 3; ch++)
                for (int h = label == 1 ? 4 : 40; h < (label == 1 ? 20 : 56); h++)
                    for (int w = 0; w < 64; w++) a.Data[((s * 3 + ch) * 64 + h) * 64 + w] += 2f;
        return a;
    }
}
