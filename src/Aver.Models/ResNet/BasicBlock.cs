using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.ResNet;

/// <summary>
/// ResNet's basic block (He et al. 2016, Fig. 2): two 3x3 conv + batch norm, an identity or
/// 1x1-projection shortcut, ReLU after the sum. Member names follow torchvision
/// (<c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample.0/1</c>).
/// </summary>
public sealed class BasicBlock : Module
{
    private readonly Conv2d _conv1, _conv2;
    private readonly BatchNorm2d _bn1, _bn2;
    // The 1x1 projection shortcut, registered as torchvision's Sequential "downsample" (.0 conv, .1 batch norm).
    private readonly Conv2d? _downsampleConv;
    private readonly BatchNorm2d? _downsampleBn;

    public BasicBlock(int inPlanes, int planes, int stride, RandomStream rng)
    {
        _conv1 = RegisterModule("conv1", ResNet18.Conv(inPlanes, planes, 3, stride, rng));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        _conv2 = RegisterModule("conv2", ResNet18.Conv(planes, planes, 3, 1, rng));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        if (stride != 1 || inPlanes != planes)
        {
            _downsampleConv = ResNet18.Conv(inPlanes, planes, 1, stride, rng);
            _downsampleBn = new BatchNorm2d(planes);
            RegisterModule("downsample", new Sequential(_downsampleConv, _downsampleBn));
        }
    }

    public override Tensor Forward(Tensor x)
    {
        // "conv, bn, ReLU" and "conv, bn, add the shortcut, ReLU" as fused ops (ConvBatchNorm: in inference the batch
        // norm, the sum and ReLU run inside the convolution). Each intermediate goes back to TensorMemory once read (in
        // training, once the backward pass is done with it), for a later result.
        var y = ConvBatchNorm.ForwardRelu(_conv1, _bn1, x);
        var shortcut = _downsampleConv is null ? x : ConvBatchNorm.Forward(_downsampleConv, _downsampleBn!, x);
        var output = ConvBatchNorm.ForwardAddRelu(_conv2, _bn2, y, shortcut);
        TensorMemory.Release(y);
        if (_downsampleConv is not null) TensorMemory.Release(shortcut);
        return output;
    }
}
