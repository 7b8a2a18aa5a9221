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
    private readonly Sequential? _downsample;

    public BasicBlock(int inPlanes, int planes, int stride, RandomStream rng)
    {
        _conv1 = RegisterModule("conv1", ResNet18.Conv(inPlanes, planes, 3, stride, rng));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        _conv2 = RegisterModule("conv2", ResNet18.Conv(planes, planes, 3, 1, rng));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        if (stride != 1 || inPlanes != planes)
            _downsample = RegisterModule("downsample", new Sequential(ResNet18.Conv(inPlanes, planes, 1, stride, rng), new BatchNorm2d(planes)));
    }

    public override Tensor Forward(Tensor x)
    {
        // "bn, ReLU" and "bn, add the shortcut, ReLU" as fused ops: one pass and one tensor each. Each intermediate goes
        // back to TensorMemory once read (in training, once the backward pass is done with it), for a later result.
        var c1 = _conv1.Forward(x);
        var y = _bn1.ForwardRelu(c1);
        TensorMemory.Release(c1);
        var c2 = _conv2.Forward(y);
        TensorMemory.Release(y);
        var shortcut = _downsample is null ? x : _downsample.Forward(x);
        var output = _bn2.ForwardAddRelu(c2, shortcut);
        TensorMemory.Release(c2);
        if (_downsample is not null) TensorMemory.Release(shortcut);
        return output;
    }
}
