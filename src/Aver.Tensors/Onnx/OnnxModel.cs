namespace Aver.Tensors.Onnx;

/// <summary>
/// An ONNX model made executable with Aver ops. At load time every node is bound to a kernel from
/// <see cref="OnnxOperators"/> (a model with unknown operators fails listing all of them), nodes whose
/// inputs are all constant are evaluated once (constant folding), and each value's last use is
/// recorded so intermediate tensors are released as soon as the run has passed them.
/// </summary>
public sealed class OnnxModel
{
    private readonly Step[] _steps;
    private readonly OnnxValue?[] _constants;   // by slot; null for values computed per run
    private readonly int[] _inputSlots, _outputSlots;
    private readonly int _slotCount;

    /// <summary>The file the model came from (used in every error message).</summary>
    public string Path { get; }
    public OnnxModelProto Proto { get; }
    public OnnxModelOptions Options { get; }
    /// <summary>Graph inputs a caller feeds (initializers listed as inputs are excluded).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }
    /// <summary>The distinct operator types of the graph, sorted.</summary>
    public IReadOnlyList<string> OperatorTypes { get; }

    private readonly Dictionary<string, TimeSpan> _profile = new(StringComparer.Ordinal);

    /// <summary>When true, <see cref="Run(Tensor[])"/> adds each node's wall time to <see cref="Profile"/>, by operator type.</summary>
    public bool Profiling { get; set; }

    /// <summary>Accumulated time per operator type while <see cref="Profiling"/> was on.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Profile
    {
        get { lock (_profile) return new Dictionary<string, TimeSpan>(_profile); }
    }

    /// <summary>The op type, with the kernel size and group count for convolutions (their costs differ most).</summary>
    private static string ProfileKey(OnnxNodeProto n)
    {
        if (n.OpType != "Conv") return n.OpType;
        var k = n.Attributes.TryGetValue("kernel_shape", out var a) ? string.Join("x", a.Ints) : "?";
        var g = n.Attributes.TryGetValue("group", out var grp) && grp.I > 1 ? " depthwise" : "";
        return $"Conv {k}{g}";
    }

    private sealed record Step(OnnxNodeProto Node, OnnxNode Bound, OnnxKernel Kernel, int[] In, int[] Out, int[] Release);

    /// <summary>Reads and binds <paramref name="path"/>.</summary>
    /// <exception cref="OnnxException">Unreadable file, unsupported operators, or a node that fails during constant folding.</exception>
    public static OnnxModel Load(string path, OnnxModelOptions? options = null) =>
        new(path, OnnxProtoReader.ReadFile(path), options ?? new OnnxModelOptions());

    /// <summary>Binds an already parsed model; <paramref name="path"/> names it in errors.</summary>
    public OnnxModel(string path, OnnxModelProto proto, OnnxModelOptions? options = null)
    {
        Path = path; Proto = proto; Options = options ??= new OnnxModelOptions();
        var g = proto.Graph;
        OperatorTypes = g.Nodes.Select(n => n.OpType).Distinct().Order(StringComparer.Ordinal).ToArray();
        var missing = g.Nodes.Where(n => (n.Domain is not ("" or "ai.onnx")) || !OnnxOperators.IsSupported(n.OpType))
            .GroupBy(n => n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}.{n.OpType}")
            .Select(grp => $"{grp.Key} ({grp.Count()} node{(grp.Count() == 1 ? "" : "s")})").ToArray();
        if (missing.Length > 0)
            throw new OnnxException($"{path}: unsupported ONNX operator{(missing.Length == 1 ? "" : "s")}: {string.Join(", ", missing)}. " +
                                    $"Aver implements: {string.Join(", ", OnnxOperators.Names)}");

        var slots = new Dictionary<string, int>(StringComparer.Ordinal);
        int Slot(string name) => slots.TryGetValue(name, out int s) ? s : slots[name] = slots.Count;
        var constants = new List<OnnxValue?>();
        void SetConstant(int slot, OnnxValue? v) { while (constants.Count <= slot) constants.Add(null); constants[slot] = v; }

        foreach (var init in g.Initializers) SetConstant(Slot(init.Name), OnnxValue.From(init));
        var initNames = g.Initializers.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        Inputs = g.Inputs.Where(i => !initNames.Contains(i.Name)).ToArray();
        Outputs = g.Outputs;
        _inputSlots = Inputs.Select(i => Slot(i.Name)).ToArray();

        var steps = new List<Step>();
        var defined = new HashSet<int>(_inputSlots);
        for (int s = 0; s < constants.Count; s++) if (constants[s] is not null) defined.Add(s);
        foreach (var node in g.Nodes)
        {
            var inSlots = node.Inputs.Select(n => n.Length == 0 ? -1 : Slot(n)).ToArray();
            foreach (var (name, s) in node.Inputs.Zip(inSlots))
                if (s >= 0 && !defined.Contains(s))
                    throw new OnnxException($"{path}: {node.Label}: input '{name}' is used before any node produces it");
            var known = inSlots.Select(s => s >= 0 && s < constants.Count ? constants[s] : null).ToArray();
            OnnxKernel kernel;
            var bound = new OnnxNode(node, path, options, known);
            try { kernel = OnnxOperators.Find(node.OpType)!(bound); }
            catch (OnnxException) { throw; }
            catch (Exception e) { throw new OnnxException($"{path}: {node.Label}: {e.Message}", e); }
            var outSlots = node.Outputs.Select(Slot).ToArray();
            defined.UnionWith(outSlots);
            bool foldable = inSlots.All(s => s < 0 || (s < constants.Count && constants[s] is not null));
            if (foldable)
            {
                var outs = Invoke(node, kernel, known);
                for (int k = 0; k < outSlots.Length && k < outs.Length; k++) SetConstant(outSlots[k], outs[k]);
            }
            else steps.Add(new Step(node, bound, kernel, inSlots, outSlots, []));
        }
        _slotCount = slots.Count;
        while (constants.Count < _slotCount) constants.Add(null);
        _constants = constants.ToArray();
        _outputSlots = g.Outputs.Select(o => slots.TryGetValue(o.Name, out int s) ? s
            : throw new OnnxException($"{path}: graph output '{o.Name}' is produced by no node")).ToArray();
        _steps = WithReleases(steps, _outputSlots);
    }

    /// <summary>For each step, the computed values it is the last reader of (graph outputs are kept).</summary>
    private Step[] WithReleases(List<Step> steps, int[] keep)
    {
        var last = new Dictionary<int, int>();
        for (int i = 0; i < steps.Count; i++)
            foreach (var s in steps[i].In)
                if (s >= 0 && _constants[s] is null) last[s] = i;
        var release = steps.Select(_ => new List<int>()).ToArray();
        foreach (var (slot, i) in last)
            if (!keep.Contains(slot)) release[i].Add(slot);
        // Values a caller passed in, and values that may share their array with another (Reshape and
        // Identity return views), are never overwritten.
        var shared = new HashSet<int>(_inputSlots);
        foreach (var st in steps)
            if (st.Node.OpType is "Reshape" or "Flatten" or "Identity" or "Squeeze" or "Unsqueeze")
                shared.UnionWith(st.In.Where(s => s >= 0).Concat(st.Out));
        for (int i = 0; i < steps.Count; i++)
        {
            var ins = steps[i].In;
            // An input released here and read once by this node may be overwritten by it.
            steps[i].Bound.SetConsumable(ins.Select(s => s >= 0 && !shared.Contains(s) && release[i].Contains(s) && ins.Count(t => t == s) == 1).ToArray());
        }
        return steps.Select((s, i) => s with { Release = release[i].ToArray() }).ToArray();
    }

    /// <summary>Runs the graph on one value per entry of <see cref="Inputs"/>, in order; returns one per <see cref="Outputs"/>.</summary>
    public Tensor[] Run(params Tensor[] inputs)
    {
        if (inputs.Length != _inputSlots.Length)
            throw new OnnxException($"{Path}: the model takes {_inputSlots.Length} input(s) ({string.Join(", ", Inputs.Select(i => i.Name))}), {inputs.Length} given");
        var values = new OnnxValue?[_slotCount];
        for (int i = 0; i < inputs.Length; i++) values[_inputSlots[i]] = new OnnxValue(inputs[i]);
        var outs = RunValues(values);
        return outs.Select((v, i) => v.Float ?? throw new OnnxException($"{Path}: output '{Outputs[i].Name}' is an integer tensor; use RunValues")).ToArray();
    }

    /// <summary>Runs the graph with inputs by name; returns every graph output by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs)
    {
        var ordered = Inputs.Select(i => inputs.TryGetValue(i.Name, out var t) ? t
            : throw new OnnxException($"{Path}: input '{i.Name}' not given (given: {string.Join(", ", inputs.Keys)})")).ToArray();
        var outs = Run(ordered);
        return Outputs.Select((o, i) => (o.Name, outs[i])).ToDictionary(p => p.Name, p => p.Item2);
    }

    private OnnxValue[] RunValues(OnnxValue?[] values)
    {
        if (!Options.NoGrad) return Execute(values);
        using (GradMode.NoGrad()) return Execute(values);
    }

    private OnnxValue[] Execute(OnnxValue?[] values)
    {
        foreach (var step in _steps)
        {
            var args = new OnnxValue?[step.In.Length];
            for (int k = 0; k < args.Length; k++)
                if (step.In[k] >= 0) args[k] = values[step.In[k]] ?? _constants[step.In[k]];
            long t0 = Profiling ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var outs = Invoke(step.Node, step.Kernel, args);
            if (Profiling)
                lock (_profile) _profile[ProfileKey(step.Node)] = _profile.GetValueOrDefault(ProfileKey(step.Node)) + System.Diagnostics.Stopwatch.GetElapsedTime(t0);
            for (int k = 0; k < step.Out.Length && k < outs.Length; k++) values[step.Out[k]] = outs[k];
            foreach (var r in step.Release) values[r] = null;
        }
        return _outputSlots.Select((s, i) => values[s] ?? _constants[s]
            ?? throw new OnnxException($"{Path}: output '{Outputs[i].Name}' was not computed")).ToArray();
    }

    private OnnxValue[] Invoke(OnnxNodeProto node, OnnxKernel kernel, OnnxValue?[] args)
    {
        try { return kernel(args); }
        catch (OnnxException) { throw; }
        catch (ShapeException e) { throw new OnnxException($"{Path}: {node.Label}: {e.Message}", e); }
        catch (ArgumentException e) { throw new OnnxException($"{Path}: {node.Label}: {e.Message}", e); }
    }
}
