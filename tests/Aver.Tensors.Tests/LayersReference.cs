namespace Aver.Tensors.Tests;

/// <summary>One of the PyTorch reference files written by tools/reference/layers.py.</summary>
internal sealed class LayersReference(string file)
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors = Fixture.Load($"tensors/{file}").Tensors;

    /// <summary>A fresh leaf copy of the named tensor (so a test can make it require grad without touching the cache).</summary>
    public Tensor this[string name] => _tensors.TryGetValue(name, out var t)
        ? t.Detach()
        : throw new KeyNotFoundException($"{file} has no tensor '{name}'");

    /// <summary>A fresh copy that requires grad.</summary>
    public Tensor Leaf(string name) => this[name].RequireGrad();

    /// <summary>Runs backward of sum(y * gy) with the reference upstream gradient.</summary>
    public void Backward(Tensor y, string gyName) => y.Backward(this[gyName].Reshape(y.Shape.ToArray()));

    /// <summary>
    /// Applies <paramref name="f"/> to a fresh copy of <paramref name="input"/> and checks the
    /// output <c>{key}.y</c> and, after backward with <c>{key}.gy</c>, the gradient <c>{key}.dx</c>.
    /// </summary>
    public Tensor AssertMatches(string input, string key, Func<Tensor, Tensor> f) => AssertMatches(Leaf(input), key, f);

    /// <summary>As above, on a leaf the caller keeps (to inspect its gradient further).</summary>
    public Tensor AssertMatches(Tensor leaf, string key, Func<Tensor, Tensor> f)
    {
        var y = f(leaf);
        AssertClose($"{key}.y", y);
        Backward(y, $"{key}.gy");
        AssertGrad($"{key}.dx", leaf);
        return y;
    }

    /// <summary>Asserts a tensor's values equal the named reference (shape-insensitive when the sizes agree).</summary>
    public void AssertClose(string name, Tensor actual, float rtol = 1e-4f, float atol = 1e-5f)
    {
        var expected = this[name];
        Fixture.AssertClose(expected.Data, actual.Data, $"{file}:{name}", rtol, atol);
    }

    /// <summary>Asserts the gradient of <paramref name="leaf"/> equals the named reference.</summary>
    public void AssertGrad(string name, Tensor leaf, float rtol = 1e-4f, float atol = 1e-5f)
    {
        Assert.NotNull(leaf.Grad);
        Fixture.AssertClose(this[name].Data, leaf.Grad, $"{file}:{name}", rtol, atol);
    }
}
