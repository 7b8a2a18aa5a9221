using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Augmentation;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Models.Calibration;
using Aver.Models.ResNet;
using Aver.Tensors;

namespace Aver.Inference.Tests.Branches;

/// <summary>Photos are classified with ten-crop averaging of the branch's temperature-scaled probabilities.</summary>
public sealed class FaceBranchTenCropTests
{
    [Fact]
    public void APhotosFaceIsTheMeanOfItsTenViewsCalibratedProbabilities()
    {
        var network = new ResNetArchitecture(1, 2, ResNetStem.Small).Build(7, new RandomStream(3));
        var branch = new FaceBranch(network, LabelSpaces.Fer7, new FaceInput(48, 0.5f, 0.25f), 1.3f,
            () => throw new InvalidOperationException("no tracker is needed to classify a crop"));
        var bytes = new byte[48 * 48];
        var rng = new RandomStream(9);
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i % 48 * 4 + rng.NextInt(40));   // a left-right ramp: mirroring matters
        var crop = new Image(48, 48, 1, bytes);

        var tenCrop = branch.TenCrop(crop);

        var faces = branch.Pixels([crop]);
        var expected = new double[7];
        var p = new float[7];
        foreach (var view in SpatialTransform.TenCrop(48, 48))
        {
            TemperatureScaling.Softmax(branch.Logits(SpatialAugmentation.Apply(faces, view)), 1.3f, p);
            for (int k = 0; k < 7; k++) expected[k] += p[k] / 10.0;
        }
        for (int k = 0; k < 7; k++) Assert.Equal(expected[k], tenCrop[k], 5);
        Assert.Equal(1, tenCrop.Sum(), 4);

        TemperatureScaling.Softmax(branch.Logits(faces), 1.3f, p);
        Assert.True(p.Zip(tenCrop).Max(t => Math.Abs(t.First - t.Second)) > 1e-4, "ten views answer differently from the single centre view");
    }
}
