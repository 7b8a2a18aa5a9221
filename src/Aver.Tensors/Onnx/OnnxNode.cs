namespace Aver.Tensors.Onnx;

/// <summary>
/// What an operator builder sees of one node: its attributes with typed getters and defaults, which
/// inputs are constants (initializers, Constant nodes, or folded at load time), and the load options.
/// Every error it raises names the model file and the node.
/// </summary>
public sealed class OnnxNode
{
    public OnnxNodeProto Proto { get; }
    public string ModelPath { get; }
    public OnnxModelOptions Options { get; }
    private readonly OnnxValue?[] _constants;

    internal OnnxNode(OnnxNodeProto proto, string modelPath, OnnxModelOptions options, OnnxValue?[] constants)
    {
        Proto = proto; ModelPath = modelPath; Options = options; _constants = constants;
    }

    public int InputCount => Proto.Inputs.Count;

    private bool[] _consumable = [];

    /// <summary>
    /// Whether input <paramref name="i"/> is a computed value that no later node reads (and not a graph
    /// output), so an inference kernel may overwrite it in place. Set by the executor after binding.
    /// </summary>
    public bool Consumable(int i) => i < _consumable.Length && _consumable[i];

    internal void SetConsumable(bool[] consumable) => _consumable = consumable;

    /// <summary>Whether optional input <paramref name="i"/> is given (present and not the empty name).</summary>
    public bool HasInput(int i) => i < Proto.Inputs.Count && Proto.Inputs[i].Length > 0;

    /// <summary>Input <paramref name="i"/> when it is known at load time, else null.</summary>
    public OnnxValue? Constant(int i) => i < _constants.Length ? _constants[i] : null;

    public bool Has(string attribute) => Proto.Attributes.ContainsKey(attribute);

    public long Int(string name, long fallback) => Proto.Attributes.TryGetValue(name, out var a) ? a.I : fallback;
    public float Float(string name, float fallback) => Proto.Attributes.TryGetValue(name, out var a) ? a.F : fallback;
    public string String(string name, string fallback) => Proto.Attributes.TryGetValue(name, out var a) ? a.S : fallback;
    public long[]? Ints(string name) => Proto.Attributes.TryGetValue(name, out var a) ? a.Ints : null;
    public OnnxTensorProto? TensorAttribute(string name) => Proto.Attributes.TryGetValue(name, out var a) ? a.T : null;

    /// <summary>An <see cref="OnnxException"/> naming the model file and this node.</summary>
    public OnnxException Error(string problem) => new($"{ModelPath}: {Proto.Label}: {problem}");

    /// <summary>The float tensor of <paramref name="v"/>, or an error naming the input.</summary>
    public Tensor FloatInput(OnnxValue? v, int index) =>
        v?.Float ?? throw Error(v is null ? $"input {index} is missing" : $"input {index} ('{Proto.Inputs[index]}') must be float, got {v}");

    /// <summary>The integer elements of <paramref name="v"/>, or an error naming the input.</summary>
    public long[] IntInput(OnnxValue? v, int index) =>
        v?.Ints ?? throw Error(v is null ? $"input {index} is missing" : $"input {index} ('{Proto.Inputs[index]}') must be an integer tensor, got {v}");
}

/// <summary>How an ONNX model is loaded and run.</summary>
public sealed record OnnxModelOptions
{
    /// <summary>
    /// Run without recording autograd (<see cref="GradMode.NoGrad"/>) — the inference default. With false,
    /// float ops record gradients as any Aver op does, so initializers can be trained.
    /// </summary>
    public bool NoGrad { get; init; } = true;

    /// <summary>
    /// Allow a batch larger than the exported one (usually 1) for models whose graph bakes batch 1 into
    /// constants (tf2onnx exports do): a Reshape target whose first entry is 1 takes the input's batch,
    /// and a constant joined (Concat) to a batched tensor is repeated along axis 0.
    /// </summary>
    public bool FreeBatch { get; init; } = true;
}
