using Aver.Models.Avef;
using Aver.Models.Svm;
using Aver.Tensors;
using Aver.Tensors.Optim;

namespace Aver.Models.Tests.Avef;

/// <summary>The model half of AVEF end to end on a toy task: fc7 features -> DBN pre-training -> joint fine-tuning -> clip pooling -> SVM.</summary>
public class AvefPipelineTests
{
    [Fact]
    public void SegmentsToClipDecisionsThroughDbnPretrainingFineTuningPoolingAndSvm()
    {
        const int clips = 8, perClip = 2, n = clips * perClip;
        var rng = new RandomStream(40);
        var audioCfg = new AudioNetConfig(Classes: 2, Width: 1.0 / 16, FcSize: 16, Dropout: 0f);
        var visualCfg = new VisualNetConfig(Classes: 2, Width: 1.0 / 16, FcSize: 12, InChannels: 1, InputHeight: 16, InputWidth: 16, Dropout: 0f);
        var net = new AvefNetwork(new AvefConfig(audioCfg, visualCfg, [10, 6]), rng.Fork("init"));

        // Clip c has label c % 2; its segments carry a label-dependent offset in both modalities.
        var clipLabels = Enumerable.Range(0, clips).Select(c => c % 2).ToArray();
        var segLabels = Enumerable.Range(0, n).Select(i => clipLabels[i / perClip]).ToArray();
        var data = rng.Fork("data");
        var audio = Tensor.Normal(data, 0, 1, n, 3, 64, 64);
        var visual = Tensor.Normal(data, 0, 1, n, 1, 16, 16, 16);
        for (int i = 0; i < n; i++)
        {
            float shift = segLabels[i] == 1 ? 1f : -1f;
            for (int j = 0; j < 3 * 64 * 64; j++) audio.Data[i * 3 * 64 * 64 + j] += shift;
            for (int j = 0; j < 16 * 16 * 16; j++) visual.Data[i * 16 * 16 * 16 + j] += shift;
        }

        // 1. Unsupervised layer-wise pre-training of the DBN on the nets' fc7 features.
        Tensor features;
        net.Eval();
        using (GradMode.NoGrad()) features = net.SegmentFeatures(audio, visual).Detach();
        var report = net.Dbn.Pretrain(features, rng.Fork("pretrain"), new RbmTraining(Epochs: 5, BatchSize: 4), new RbmTraining(Epochs: 5, BatchSize: 4, LearningRate: 0.01));
        Assert.Equal(2, report.After.Count);

        // 2. Supervised fine-tuning of the whole model (§2.2.3).
        net.Train();
        var opt = new AdamW(net.Parameters(), learningRate: 3e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 8; step++)
        {
            opt.ZeroGrad();
            var loss = Losses.CrossEntropy(net.Forward(audio, visual).Scores, segLabels);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            opt.Step();
        }
        Assert.True(last < first, $"fine-tuning loss {first} -> {last}");

        // 3. Clip fusion (§2.2.4): average the fused segment features per clip, then the polynomial-kernel SVM.
        net.Eval();
        Tensor clipFeatures;
        using (GradMode.NoGrad()) clipFeatures = ClipPooling.Average(net.Forward(audio, visual).Fused, Enumerable.Repeat(perClip, clips).ToArray());
        Assert.Equal([clips, 6], clipFeatures.Shape.ToArray());
        using var svm = SvmClassifier.Train(clipFeatures, clipLabels, new SvmParameters(SvmKernel.Polynomial, Degree: 3, Coef0: 1, C: 10));
        Assert.Equal(clipLabels, svm.Predict(clipFeatures));
        var p = svm.PredictProbabilities(clipFeatures);
        for (int c = 0; c < clips; c++) Assert.Equal(1f, p[c, 0] + p[c, 1], 1e-5f);
    }
}
