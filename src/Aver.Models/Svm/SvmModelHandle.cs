using System.Runtime.InteropServices;

namespace Aver.Models.Svm;

/// <summary>
/// Owns a LIBSVM <c>svm_model*</c> and, for a model trained here, the node memory its support
/// vectors point into (LIBSVM keeps pointers into the training problem; <c>free_sv</c> = 0). Released
/// once, in order: the model (svm_free_and_destroy_model), then the nodes.
/// </summary>
internal sealed unsafe class SvmModelHandle : SafeHandle
{
    private SvmNode* _nodes;

    public SvmModelHandle(SvmModelNative* model, SvmNode* nodes) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((nint)model);
        _nodes = nodes;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public SvmModelNative* Model => IsClosed ? throw new ObjectDisposedException(nameof(SvmClassifier)) : (SvmModelNative*)handle;

    protected override bool ReleaseHandle()
    {
        var model = (SvmModelNative*)handle;
        LibSvmNative.Functions.FreeAndDestroyModel(&model);
        if (_nodes != null) { NativeMemory.Free(_nodes); _nodes = null; }
        return true;
    }
}
