using Aver.Tensors.Onnx.Operators;

namespace Aver.Tensors.Onnx;

/// <summary>Runs one node: values of its inputs (null for an omitted optional input) -> values of its outputs.</summary>
public delegate OnnxValue[] OnnxKernel(OnnxValue?[] inputs);

/// <summary>Reads a node's attributes once at load time and returns the kernel that runs it.</summary>
public delegate OnnxKernel OnnxOperatorBuilder(OnnxNode node);

/// <summary>
/// The table of ONNX operators Aver runs (default domain): op type -> builder. Each builder maps the
/// operator onto Aver ops, so whatever runs here also differentiates. Grow it with <see cref="Register"/>;
/// a model using an operator missing from the table fails at load time with the list of missing ones.
/// </summary>
public static class OnnxOperators
{
    private static readonly Dictionary<string, OnnxOperatorBuilder> Table = new(StringComparer.Ordinal);

    static OnnxOperators()
    {
        ElementwiseOperators.Register();
        ConvPoolOperators.Register();
        ShapeOperators.Register();
    }

    /// <summary>Adds or replaces the builder of <paramref name="opType"/>.</summary>
    public static void Register(string opType, OnnxOperatorBuilder builder)
    {
        lock (Table) Table[opType] = builder;
    }

    public static bool IsSupported(string opType)
    {
        lock (Table) return Table.ContainsKey(opType);
    }

    /// <summary>The supported op types, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get { lock (Table) return Table.Keys.Order(StringComparer.Ordinal).ToArray(); }
    }

    internal static OnnxOperatorBuilder? Find(string opType)
    {
        lock (Table) return Table.GetValueOrDefault(opType);
    }
}
