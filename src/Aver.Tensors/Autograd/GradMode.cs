namespace Aver.Tensors;

/// <summary>Whether ops record history for backward on the current thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    /// <summary>Disables recording until the returned scope is disposed (PyTorch's <c>torch.no_grad()</c>).</summary>
    public static NoGradScope NoGrad() { _disabledDepth++; return new NoGradScope(); }

    public readonly struct NoGradScope : IDisposable
    {
        public void Dispose() => _disabledDepth--;
    }
}
