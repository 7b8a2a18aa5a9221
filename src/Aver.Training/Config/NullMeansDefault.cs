using System.Reflection;

namespace Aver.Training.Config;

/// <summary>
/// An empty YAML value (<c>training:</c> with nothing after it, or <c>~</c>) deserialises to null, even for a
/// section or setting the config classes declare never null; the validator and the experiments then failed with a
/// NullReferenceException (found by fuzzing). Here such a null takes the property's default, as if the key were
/// absent. Properties declared nullable keep their null, so a required section still reads "is required".
/// </summary>
internal static class NullMeansDefault
{
    public static void Apply(object section)
    {
        var type = section.GetType();
        object? fresh = null;
        var nullability = new NullabilityInfoContext();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!p.CanRead || !p.CanWrite || p.GetIndexParameters().Length > 0) continue;
            var value = p.GetValue(section);
            if (value is null && nullability.Create(p).WriteState == NullabilityState.NotNull)
            {
                fresh ??= Activator.CreateInstance(type)!;
                value = p.GetValue(fresh);
                p.SetValue(section, value);
            }
            if (value is not null && IsSection(p.PropertyType)) Apply(value);
        }
    }

    /// <summary>A nested config class (dataset, model, training, ...), as opposed to a value, list or map.</summary>
    private static bool IsSection(Type t) =>
        t.IsClass && t != typeof(string) && t.Namespace == typeof(ExperimentConfig).Namespace && t.GetConstructor(Type.EmptyTypes) is not null;
}
