using Aver.Tensors.Nn;

namespace Aver.Tensors.Optim;

/// <summary>
/// The base of every optimiser, after PyTorch's <c>torch.optim.Optimizer</c>: parameter groups with
/// their own learning rate and weight decay, <see cref="Step"/> updating every parameter that has a
/// gradient and is not frozen, and per-parameter state (step count, named buffers shaped like the
/// parameter) that <see cref="StateDict"/> / <see cref="LoadStateDict"/> save and restore exactly.
/// </summary>
/// <remarks>
/// Parameters are numbered across groups in order (PyTorch's state keys), so saved state is
/// <c>state.{index}.{buffer}</c> tensors, <c>state.{index}.step</c> values and
/// <c>param_groups.{g}.lr</c> / <c>weight_decay</c> values.
/// </remarks>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups = [];
    private readonly List<Tensor> _flat = [];
    private readonly List<Dictionary<string, float[]>> _buffers = [];
    private readonly List<long> _steps = [];
    private float[] _scratchA = [], _scratchB = [];

    /// <param name="groups">The parameter groups; a group's null hyper-parameters take the defaults below.</param>
    /// <param name="learningRate">The default learning rate.</param>
    /// <param name="weightDecay">The default weight decay.</param>
    protected Optimizer(IEnumerable<ParamGroup> groups, double learningRate, double weightDecay)
    {
        CheckHyper(learningRate, "learning rate");
        CheckHyper(weightDecay, "weight decay");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var g in groups)
        {
            if (double.IsNaN(g.LearningRate)) g.LearningRate = learningRate;
            if (double.IsNaN(g.WeightDecay)) g.WeightDecay = weightDecay;
            CheckHyper(g.LearningRate, "learning rate");
            CheckHyper(g.WeightDecay, "weight decay");
            foreach (var p in g.Parameters)
            {
                if (!seen.Add(p)) throw new ArgumentException($"{GetType().Name}: {p.Describe()} appears in more than one place");
                _flat.Add(p);
                _buffers.Add([]);
                _steps.Add(0);
            }
            _groups.Add(g);
        }
        if (_flat.Count == 0) throw new ArgumentException($"{GetType().Name}: no parameters to optimise");
    }

    /// <summary>One group of <paramref name="parameters"/> with the default hyper-parameters.</summary>
    protected static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];

    protected void CheckHyper(double value, string what)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(what, value, $"{GetType().Name}: invalid {what} {value}");
    }

    /// <summary>The parameter groups, in order.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>The first group's learning rate; setting it sets every group's.</summary>
    public double LearningRate
    {
        get => _groups[0].LearningRate;
        set
        {
            CheckHyper(value, "learning rate");
            foreach (var g in _groups) g.LearningRate = value;
        }
    }

    /// <summary>Updates every parameter that has a gradient and requires one, from its gradient.</summary>
    public void Step()
    {
        var start = OpProfiler.Enabled ? OpProfiler.Now() : default;
        StepAll();
        if (OpProfiler.Enabled) OpProfiler.Since(GetType().Name + ".Step", start);
    }

    private void StepAll()
    {
        int index = 0;
        foreach (var g in _groups)
            foreach (var p in g.Parameters)
            {
                int i = index++;
                if (!p.RequiresGrad || p.Grad is null) continue;
                _steps[i]++;
                Update(i, p.Data, p.Grad, g);
            }
    }

    /// <summary>
    /// Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>). The arrays go to
    /// <see cref="TensorMemory"/> for the next step's ops: keep <see cref="Tensor.GradTensor"/>, a copy, to read a
    /// gradient after this call, not the <see cref="Tensor.Grad"/> array itself.
    /// </summary>
    public void ZeroGrad()
    {
        foreach (var p in _flat)
        {
            var grad = p.Grad;
            p.ZeroGrad();
            TensorMemory.Recycle(grad);
        }
    }

    /// <summary>
    /// Updates parameter <paramref name="index"/> in place from <paramref name="grad"/> (same length); its step
    /// count has already been advanced. Implementations run their elementwise work through <see cref="ForEachChunk"/>.
    /// </summary>
    protected abstract void Update(int index, float[] param, float[] grad, ParamGroup group);

    /// <summary>Elements per block of <see cref="ForEachChunk"/>: a few arrays of this many floats stay in cache.</summary>
    protected const int ChunkSize = 8192;

    /// <summary>
    /// Runs <paramref name="body"/>(start, length) over consecutive blocks of [0, <paramref name="length"/>), in
    /// parallel on <see cref="Engine.Threads"/>. An update is several span operations in a row; doing them block
    /// by block keeps the data in cache, so memory is read and written about once per step instead of once per operation.
    /// </summary>
    protected static void ForEachChunk(int length, Action<int, int> body)
    {
        int chunks = (length + ChunkSize - 1) / ChunkSize;
        if (chunks <= 1) { body(0, length); return; }
        Engine.For(chunks, c =>
        {
            int start = c * ChunkSize;
            body(start, Math.Min(ChunkSize, length - start));
        });
    }

    /// <summary>How many times parameter <paramref name="index"/> was updated (PyTorch's <c>state['step']</c>).</summary>
    protected long StepCount(int index) => _steps[index];

    /// <summary>The state buffer <paramref name="name"/> of parameter <paramref name="index"/>, zero-filled on first use.</summary>
    protected float[] Buffer(int index, string name)
    {
        var d = _buffers[index];
        if (!d.TryGetValue(name, out var b)) d[name] = b = new float[_flat[index].Size];
        return b;
    }

    /// <summary>The state buffer if it exists (e.g. SGD's momentum buffer, created from the first gradient).</summary>
    protected bool TryGetBuffer(int index, string name, out float[] buffer) => _buffers[index].TryGetValue(name, out buffer!);

    /// <summary>Scratch arrays of at least <paramref name="length"/> floats, reused across steps (no per-step allocation).</summary>
    protected float[] ScratchA(int length) => Grow(ref _scratchA, length);
    protected float[] ScratchB(int length) => Grow(ref _scratchB, length);

    private static float[] Grow(ref float[] a, int length)
    {
        if (a.Length < length) a = new float[length];
        return a;
    }

    /// <summary>The optimiser's state: group learning rates and weight decays, per-parameter step counts and buffers.</summary>
    public SavedState StateDict()
    {
        var values = new Dictionary<string, string> { ["type"] = GetType().Name };
        for (int g = 0; g < _groups.Count; g++)
        {
            values[$"param_groups.{g}.lr"] = SavedState.Format(_groups[g].LearningRate);
            values[$"param_groups.{g}.weight_decay"] = SavedState.Format(_groups[g].WeightDecay);
            if (_groups[g].InitialLearningRate is double initial) values[$"param_groups.{g}.initial_lr"] = SavedState.Format(initial);
        }
        var tensors = new List<KeyValuePair<string, Tensor>>();
        for (int i = 0; i < _flat.Count; i++)
        {
            if (_steps[i] > 0) values[$"state.{i}.step"] = SavedState.Format(_steps[i]);
            foreach (var (name, b) in _buffers[i].OrderBy(kv => kv.Key, StringComparer.Ordinal))
                tensors.Add(new($"state.{i}.{name}", new Tensor((float[])b.Clone(), _flat[i].ShapeArray)));
        }
        return new SavedState(tensors, values);
    }

    /// <summary>
    /// Restores a state saved by <see cref="StateDict"/> of an optimiser of the same type over parameters
    /// of the same shapes and grouping. Fails, changing nothing, on a mismatch, naming it.
    /// </summary>
    public void LoadStateDict(SavedState state)
    {
        string owner = GetType().Name;
        string type = state.Get("type", owner);
        if (type != owner) throw new StateDictException($"{owner}: saved state belongs to a {type}");
        var lrs = new double[_groups.Count];
        var wds = new double[_groups.Count];
        var initials = new double?[_groups.Count];
        for (int g = 0; g < _groups.Count; g++)
        {
            lrs[g] = state.GetDouble($"param_groups.{g}.lr", owner);
            wds[g] = state.GetDouble($"param_groups.{g}.weight_decay", owner);
            initials[g] = state.Values.ContainsKey($"param_groups.{g}.initial_lr") ? state.GetDouble($"param_groups.{g}.initial_lr", owner) : null;
        }
        if (state.Values.ContainsKey($"param_groups.{_groups.Count}.lr"))
            throw new StateDictException($"{owner}: saved state has more than {_groups.Count} parameter groups");

        var steps = new long[_flat.Count];
        var buffers = new Dictionary<string, float[]>[_flat.Count];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = [];
        foreach (var (key, value) in state.Values)
        {
            if (!key.StartsWith("state.", StringComparison.Ordinal)) continue;
            var (i, name) = ParseStateKey(key, owner);
            if (name != "step") throw new StateDictException($"{owner}: unexpected value '{key}'");
            steps[i] = state.GetLong(key, owner);
        }
        foreach (var (key, t) in state.Tensors)
        {
            var (i, name) = ParseStateKey(key, owner);
            if (!ShapeMath.SameShape(t.Shape, _flat[i].Shape))
                throw new StateDictException($"{owner}: '{key}' has shape {ShapeMath.Format(t.Shape)}, parameter {_flat[i].Describe()} needs {ShapeMath.Format(_flat[i].Shape)}");
            buffers[i][name] = (float[])t.Data.Clone();
        }

        for (int g = 0; g < _groups.Count; g++)
        {
            _groups[g].LearningRate = lrs[g];
            _groups[g].WeightDecay = wds[g];
            _groups[g].InitialLearningRate = initials[g];
        }
        for (int i = 0; i < _flat.Count; i++) { _steps[i] = steps[i]; _buffers[i] = buffers[i]; }
    }

    private (int Index, string Name) ParseStateKey(string key, string owner)
    {
        var parts = key.Split('.', 3);
        if (parts.Length != 3 || parts[0] != "state" || !int.TryParse(parts[1], out int i))
            throw new StateDictException($"{owner}: unexpected entry '{key}'");
        if (i < 0 || i >= _flat.Count)
            throw new StateDictException($"{owner}: '{key}' refers to parameter {i}, but this optimiser has {_flat.Count}");
        return (i, parts[2]);
    }
}
