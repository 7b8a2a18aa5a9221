namespace Aver.Tensors.Nn;

/// <summary>Modules applied in order; children are named "0", "1", ... as in PyTorch.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    public Sequential(params Module[] layers)
    {
        foreach (var l in layers) Add(l);
    }

    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(), layer);
        _layers.Add(layer);
        return this;
    }

    public int Count => _layers.Count;
    public Module this[int i] => _layers[i];

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var l in _layers) x = l.Forward(x);
        return x;
    }
}

/// <summary>A list of modules registered as "0", "1", ...; the owner decides how to call them.</summary>
public sealed class ModuleList<T> : Module where T : Module
{
    private readonly List<T> _items = [];

    public ModuleList(IEnumerable<T>? items = null)
    {
        if (items is not null) foreach (var m in items) Add(m);
    }

    public void Add(T module)
    {
        RegisterModule(_items.Count.ToString(), module);
        _items.Add(module);
    }

    public int Count => _items.Count;
    public T this[int i] => _items[i];
    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
}

/// <summary>A module from a function, for activations and small glue in a <see cref="Sequential"/>.</summary>
public sealed class Lambda(Func<Tensor, Tensor> fn) : Module
{
    public override Tensor Forward(Tensor input) => fn(input);
}
