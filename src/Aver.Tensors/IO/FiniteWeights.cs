namespace Aver.Tensors.IO;

/// <summary>Weights that hold NaN or infinity answer NaN for every input: such a file is refused when it is loaded.</summary>
public static class FiniteWeights
{
    /// <summary>Throws a <see cref="SafeTensorsException"/> naming <paramref name="source"/> and the first tensor (by name) holding NaN or infinity.</summary>
    public static void Check(SafeTensorsFile file, string source)
    {
        foreach (var (name, tensor) in file.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            int bad = FirstNonFinite(tensor.Data);
            if (bad >= 0)
                throw new SafeTensorsException($"{source}: tensor '{name}' holds {tensor.Data[bad]} at element {bad}: the weights are broken (NaN or infinity)");
        }
    }

    /// <summary>The index of the first NaN or infinite value, or -1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
