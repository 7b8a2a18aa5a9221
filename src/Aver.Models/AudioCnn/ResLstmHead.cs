using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.AudioCnn;

/// <summary>
/// ResLSTM-SA (Krasnoproshin and Vashkevich 2026, "Speech emotion recognition using attention-based LSTM-network with
/// residual connection"): time frames [N, T, D] through an LSTM of D units whose output is added back to its input
/// (the residual keeps the raw frames beside their context), batch norm over the D features, a second LSTM of H units,
/// then soft attention over time (Mirsamadi et al. 2017: a_t = softmax_t(u . h_t), c = sum_t a_t h_t) and batch norm of
/// the pooled vector [N, H]. Their best network (D = 46 MFCC + chroma, H = 64) has 46.8 k parameters and reaches
/// 62.3 % UAR on RAVDESS, 5 speaker-independent folds. Weights keep PyTorch's LSTM initialisation (theirs: Xavier and
/// orthogonal, forget-gate bias 1).
/// </summary>
public sealed class ResLstmHead : Module
{
    private readonly LSTM _lstm1, _lstm2;
    private readonly BatchNorm1d _bnResidual, _bn;
    private readonly Linear _attention;

    public ResLstmHead(int frameSize, int hidden, RandomStream rng)
    {
        _lstm1 = RegisterModule("lstm1", new LSTM(frameSize, frameSize, rng: rng));
        _bnResidual = RegisterModule("bn_residual", new BatchNorm1d(frameSize));
        _lstm2 = RegisterModule("lstm2", new LSTM(frameSize, hidden, rng: rng));
        _attention = RegisterModule("attention", new Linear(hidden, 1, bias: false, rng: rng));
        _bn = RegisterModule("bn", new BatchNorm1d(hidden));
    }

    /// <summary>The pooled vectors [N, H] of frames [N, T, D].</summary>
    public override Tensor Forward(Tensor frames)
    {
        int n = frames.Dim(0), t = frames.Dim(1);
        var residual = _lstm1.Forward(frames).Add(frames);
        var normed = _bnResidual.Forward(residual.Transpose(1, 2)).Transpose(1, 2);   // BatchNorm1d reads [N, D, T]
        var h = _lstm2.Forward(normed);                                                 // [N, T, H]
        int hidden = h.Dim(2);
        var weights = _attention.Forward(h.Reshape(n * t, hidden)).Reshape(n, t).Softmax(1);
        return _bn.Forward(h.Mul(weights.Reshape(n, t, 1)).Sum(1));
    }
}
