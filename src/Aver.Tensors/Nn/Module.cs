using Aver.Tensors.IO;

namespace Aver.Tensors.Nn;

/// <summary>
/// The base of every layer and network, after PyTorch's <c>nn.Module</c>: parameters, buffers
/// and child modules are registered explicitly (no reflection), so dotted names such as
/// <c>layer1.0.conv1.weight</c> follow PyTorch's and state dictionaries load either way.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>True in training mode (dropout active, batch norm uses batch statistics).</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The module's computation for a single input. Modules with other inputs expose their own methods.</summary>
    public virtual Tensor Forward(Tensor input) =>
        throw new NotSupportedException($"{GetType().Name} does not take a single tensor; use its own Forward overload");

    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.RequiresGrad = true;
        tensor.Name ??= name;
        _parameters.Add(new(name, tensor));
        return tensor;
    }

    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.RequiresGrad = false;
        tensor.Name ??= name;
        _buffers.Add(new(name, tensor));
        return tensor;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: invalid member name '{name}' (non-empty, no dots)");
        foreach (var kv in _parameters) if (kv.Key == name) throw Dup(name);
        foreach (var kv in _buffers) if (kv.Key == name) throw Dup(name);
        foreach (var kv in _children) if (kv.Key == name) throw Dup(name);
        ArgumentException Dup(string n) => new($"{GetType().Name}: '{n}' is already registered");
    }

    public IEnumerable<KeyValuePair<string, Module>> NamedChildren() => _children;

    /// <summary>This module and every descendant, depth first, with dotted names ("" for this one).</summary>
    public IEnumerable<KeyValuePair<string, Module>> NamedModules(string prefix = "")
    {
        yield return new(prefix, this);
        foreach (var (name, child) in _children)
            foreach (var kv in child.NamedModules(Join(prefix, name))) yield return kv;
    }

    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters(string prefix = "")
    {
        foreach (var (mp, m) in NamedModules(prefix))
            foreach (var (n, p) in m._parameters) yield return new(Join(mp, n), p);
    }

    public IEnumerable<KeyValuePair<string, Tensor>> NamedBuffers(string prefix = "")
    {
        foreach (var (mp, m) in NamedModules(prefix))
            foreach (var (n, b) in m._buffers) yield return new(Join(mp, n), b);
    }

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(kv => kv.Value);

    /// <summary>Number of scalar parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Size);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>Sets training mode on this module and all descendants.</summary>
    public virtual Module Train(bool training = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = training;
        return this;
    }

    /// <summary>Sets evaluation mode on this module and all descendants.</summary>
    public Module Eval() => Train(false);

    /// <summary>Freezes (false) or unfreezes (true) every parameter: frozen ones receive no gradient.</summary>
    public Module RequiresGrad(bool requires)
    {
        foreach (var p in Parameters()) p.RequiresGrad = requires;
        return this;
    }

    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Parameters then buffers, in registration order, with PyTorch's dotted names.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        var list = new List<KeyValuePair<string, Tensor>>();
        // PyTorch orders a module's own parameters and buffers before its children's.
        void Walk(Module m, string prefix)
        {
            foreach (var (n, p) in m._parameters) list.Add(new(Join(prefix, n), p));
            foreach (var (n, b) in m._buffers) list.Add(new(Join(prefix, n), b));
            foreach (var (n, c) in m._children) Walk(c, Join(prefix, n));
        }
        Walk(this, "");
        return list;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers.
    /// With <paramref name="strict"/>, any missing, unexpected or mis-shaped entry fails the whole
    /// load (nothing is copied) with a message naming every one of them.
    /// </summary>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true, string source = "state dict")
    {
        var own = StateDict();
        var missing = new List<string>();
        var mismatched = new List<string>();
        var ownNames = new HashSet<string>();
        foreach (var (name, t) in own)
        {
            ownNames.Add(name);
            if (!state.TryGetValue(name, out var src)) { missing.Add(name); continue; }
            if (!ShapeMath.SameShape(src.Shape, t.Shape))
                mismatched.Add($"{name}: expected {ShapeMath.Format(t.Shape)}, file has {ShapeMath.Format(src.Shape)}");
        }
        var unexpected = state.Keys.Where(k => !ownNames.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var result = new StateDictLoadResult(missing, unexpected, mismatched);
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictException($"{source} does not fit {GetType().Name}: {result}");
        foreach (var (name, t) in own)
            if (state.TryGetValue(name, out var src)) src.Data.AsSpan().CopyTo(t.Data);
        return result;
    }

    /// <summary>Saves the state dictionary as a safetensors file (atomically).</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null, SafeTensorsDType dtype = SafeTensorsDType.F32)
        => SafeTensors.Save(path, StateDict(), metadata, dtype);

    /// <summary>Loads a safetensors state dictionary written by Aver or by PyTorch.</summary>
    public SafeTensorsFile Load(string path, bool strict = true)
    {
        var file = SafeTensors.Load(path);
        LoadStateDict(file.Tensors, strict, path);
        return file;
    }
}

/// <summary>What a non-strict load left out.</summary>
public sealed record StateDictLoadResult(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> Mismatched)
{
    public override string ToString()
    {
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"missing {First(Missing, ", ")}");
        if (Unexpected.Count > 0) parts.Add($"unexpected {First(Unexpected, ", ")}");
        if (Mismatched.Count > 0) parts.Add($"mis-shaped {First(Mismatched, "; ")}");
        return parts.Count == 0 ? "all tensors matched" : string.Join("; ", parts);
    }

    /// <summary>
    /// The first few names and how many more: a network of another architecture differs in every tensor, and a
    /// refusal listing hundreds of them (7.8 KB on one line) hides the point.
    /// </summary>
    private static string First(IReadOnlyList<string> names, string separator, int shown = 3) =>
        names.Count <= shown ? string.Join(separator, names) : $"{string.Join(separator, names.Take(shown))} and {names.Count - shown} more";
}

public sealed class StateDictException(string message) : IOException(message);
