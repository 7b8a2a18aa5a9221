namespace Aver.Tensors.Nn;

/// <summary>
/// Classifiers trained apart answering together: the forward pass is the log of the members' mean class
/// probabilities, so a softmax of it is the average of their softmaxes (the usual ensemble of independently trained
/// networks; Lakshminarayanan et al. 2017 §2.4) and a temperature can still scale it. Children are named "0", "1", ...
/// </summary>
public sealed class Ensemble : Module
{
    // Keeps the log finite where every member gives a class no probability at all.
    private const float Floor = 1e-30f;
    private readonly List<Module> _members = [];

    public Ensemble(IEnumerable<Module> members)
    {
        foreach (var m in members)
        {
            RegisterModule(_members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
            _members.Add(m);
        }
        if (_members.Count < 2) throw new ArgumentException("an ensemble needs at least two members", nameof(members));
    }

    public IReadOnlyList<Module> Members => _members;

    /// <summary>[N, classes] scores of every member (over the last axis) in; log mean probability out.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor? sum = null;
        foreach (var m in _members)
        {
            var p = m.Forward(input).Softmax(-1);
            sum = sum is null ? p : sum + p;
        }
        return (sum! * (1f / _members.Count) + Floor).Log();
    }
}
