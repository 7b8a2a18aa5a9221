using Aver.Models.Avef;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;

namespace Aver.Training.Tasks;

/// <summary>Which of AVEF's training stages (§2.2, Table 3) a task runs.</summary>
public enum AvefStage
{
    /// <summary>The audio-network alone on audio segments with the clip label (eq. 2.5).</summary>
    AudioNet,
    /// <summary>The visual-network alone on face segments.</summary>
    VisualNet,
    /// <summary>Both networks and the DBN "as a whole model" (§2.2.3): the loss is the DBN softmax's.</summary>
    Whole,
}

/// <summary>
/// One AVEF training stage as a trainer task over <see cref="AvefSegments"/>: cross-entropy on the
/// stage's class scores (fc8 of a network, or the DBN's output layer). Features (for t-SNE) are fc7
/// for a network and the DBN's last hidden layer for the whole model.
/// </summary>
public sealed class AvefTask(IAvefSegmentModel model, AvefStage stage) : ITrainingTask<AvefSegments>
{
    public AvefStage Stage { get; } = stage;
    public IAvefSegmentModel Network { get; } = model;

    /// <summary>The stage's module: the network being trained, or the whole model.</summary>
    public Module Model { get; } = stage switch
    {
        AvefStage.AudioNet => model.Audio,
        AvefStage.VisualNet => model.Visual ?? throw new ArgumentException("AvefTask: the visual-network stage needs an audio-visual AVEF model"),
        _ => model.Module,
    };

    public StepOutput Step(AvefSegments input, int[] targets)
    {
        var scores = Scores(input);
        return new StepOutput(Losses.CrossEntropy(scores, targets), scores);
    }

    /// <summary>The stage's class scores [N, C].</summary>
    public Tensor Scores(AvefSegments input) => Stage switch
    {
        AvefStage.AudioNet => Network.Audio.Forward(input.Audio),
        AvefStage.VisualNet => Network.Visual!.Forward(RequireVisual(input)),
        _ => Network.Forward(input.Audio, input.Visual).Scores,
    };

    public Tensor? Features(AvefSegments input) => Stage switch
    {
        AvefStage.AudioNet => Network.Audio.Features(input.Audio),
        AvefStage.VisualNet => Network.Visual!.Features(RequireVisual(input)),
        _ => Network.Forward(input.Audio, input.Visual).Fused,
    };

    private static Tensor RequireVisual(AvefSegments input) =>
        input.Visual ?? throw new ArgumentException("AvefTask: the visual-network stage needs face segments");
}
