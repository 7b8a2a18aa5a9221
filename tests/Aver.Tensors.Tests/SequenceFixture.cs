using Aver.Tensors.Nn;
using Aver.Testing;

namespace Aver.Tensors.Tests;

/// <summary>
/// A PyTorch reference case from tools/reference/sequence.py: the torch module's state dict under
/// <c>state.</c>, inputs, outputs, upstream gradients <c>g.*</c> and expected gradients <c>grad.*</c>.
/// </summary>
internal sealed class SequenceFixture(string name)
{
    private readonly IReadOnlyDictionary<string, Tensor> _t = Fixture.Load($"tensors/sequence_{name}.safetensors").Tensors;

    public Tensor this[string key] => _t.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"sequence_{name}: no tensor '{key}'");

    public bool Has(string key) => _t.ContainsKey(key);

    /// <summary>The input <paramref name="key"/> as a fresh leaf that receives gradients.</summary>
    public Tensor Leaf(string key) => this[key].Detach().RequireGrad();

    /// <summary>Loads the torch state dict into <paramref name="module"/> (strict: every name must match) and puts it in eval mode.</summary>
    public T Load<T>(T module) where T : Module
    {
        var state = _t.Where(kv => kv.Key.StartsWith("state.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["state.".Length..], kv => kv.Value);
        module.LoadStateDict(state, strict: true, source: $"sequence_{name}");
        module.Eval();
        return module;
    }

    /// <summary>The loss sum(output * g.key) over the given outputs.</summary>
    public Tensor Loss(params (Tensor output, string key)[] outputs)
    {
        Tensor? loss = null;
        foreach (var (o, k) in outputs)
        {
            var term = o.Mul(this[$"g.{k}"]).Sum();
            loss = loss is null ? term : loss.Add(term);
        }
        return loss!;
    }

    /// <summary>Asserts every parameter's gradient matches <c>grad.{name}</c>.</summary>
    public void AssertParameterGradients(Module module, float rtol = 1e-4f, float atol = 1e-5f)
    {
        foreach (var (pname, p) in module.NamedParameters())
            Fixture.AssertClose(this[$"grad.{pname}"], p.GradTensor(), $"grad of {pname}", rtol, atol);
    }
}
