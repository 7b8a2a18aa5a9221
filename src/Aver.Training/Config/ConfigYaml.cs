using Aver.Features.LogMel;
using Aver.Features.Spectral;
using Aver.Training.Training;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.TypeInspectors;

namespace Aver.Training.Config;

/// <summary>
/// How an experiment config maps onto the records it is made of. Sections that describe one option record are bound
/// to that record itself (<c>training</c> → <see cref="TrainerOptions"/>, <c>features.audio</c> →
/// <see cref="Aver.Features.Mrpn.MrpnAudioOptions"/>, <c>features.log_mel</c> → <see cref="LogMelOptions"/>): a key is
/// the property's name in snake_case, except the few named below; computed properties are neither read nor written;
/// enums are written by the names in <see cref="EnumNames"/>. Reading and writing share this one table.
/// </summary>
internal static class ConfigYaml
{
    /// <summary>The YAML names of the enums the configs hold, each with the one key it appears under (for errors).</summary>
    private static readonly Dictionary<Type, (string Key, (object Value, string Name)[] Names)> EnumNames = new()
    {
        [typeof(OptimizerKind)] = ("training.optimizer", [(OptimizerKind.AdamW, "adamw"), (OptimizerKind.SgdNesterov, "sgd")]),
        [typeof(ScheduleKind)] = ("training.schedule", [(ScheduleKind.Plateau, "plateau"), (ScheduleKind.Cosine, "cosine")]),
        [typeof(BestBy)] = ("training.best_by", [(BestBy.ValidationLoss, "loss"), (BestBy.ValidationAccuracy, "accuracy"), (BestBy.ValidationAccuracyThenLoss, "accuracy-then-loss")]),
        [typeof(MelScale)] = ("features.log_mel.mel_scale", [(MelScale.Htk, "htk"), (MelScale.Slaney, "slaney")]),
        [typeof(MelNorm)] = ("features.log_mel.mel_norm", [(MelNorm.None, "none"), (MelNorm.Slaney, "slaney")]),
    };

    public static IDeserializer Deserializer() => Configure(new DeserializerBuilder()).Build();

    public static ISerializer Serializer() => Configure(new SerializerBuilder()).Build();

    private static TBuilder Configure<TBuilder>(TBuilder builder) where TBuilder : BuilderSkeleton<TBuilder>
    {
        builder.WithNamingConvention(UnderscoredNamingConvention.Instance);
        // The paper's and the configs' words where they differ from the record's (MRPN Table 1's T vs NT is time augmentation).
        builder.WithAttributeOverride<TrainerOptions>(t => t.EarlyStoppingPatience!, new YamlMemberAttribute { Alias = "patience" });
        builder.WithAttributeOverride<TrainerOptions>(t => t.Augment, new YamlMemberAttribute { Alias = "time_augmentation" });
        // The run's seed is the experiment's one seed (top-level `seed`), not a training key.
        builder.WithAttributeOverride<TrainerOptions>(t => t.Seed, new YamlIgnoreAttribute());
        builder.WithTypeConverter(new EnumConverter());
        builder.WithTypeInspector(inner => new SettableOnly(inner));
        return builder;
    }

    /// <summary>Computed properties (a record's <c>ClipFrames</c>, say) are not keys: they are neither written nor accepted.</summary>
    private sealed class SettableOnly(ITypeInspector inner) : TypeInspectorSkeleton
    {
        public override IEnumerable<IPropertyDescriptor> GetProperties(Type type, object? container)
        {
            foreach (var p in inner.GetProperties(type, container))
                if (p.CanWrite) yield return p;
        }

        public override string GetEnumName(Type enumType, string name) => inner.GetEnumName(enumType, name);

        public override string GetEnumValue(object enumValue) => inner.GetEnumValue(enumValue);
    }

    /// <summary>Reads and writes the enums of <see cref="EnumNames"/> by their YAML names (any case); another value names its key.</summary>
    private sealed class EnumConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => EnumNames.ContainsKey(type);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            var scalar = parser.Consume<Scalar>();
            var (key, names) = EnumNames[type];
            foreach (var (value, name) in names)
                if (string.Equals(name, scalar.Value, StringComparison.OrdinalIgnoreCase)) return value;
            throw new ConfigValueException(scalar.Start, scalar.End, key,
                $"'{scalar.Value}' is not one of {string.Join(", ", names.Select(n => n.Name))}");
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(Name((Enum)value!)));
    }

    /// <summary>An enum value's name as a config writes it (<c>accuracy-then-loss</c>, <c>adamw</c>, <c>cosine</c>), for text that quotes a config.</summary>
    public static string Name(Enum value)
    {
        foreach (var (v, name) in EnumNames[value.GetType()].Names)
            if (v.Equals(value)) return name;
        throw new InvalidOperationException($"{value.GetType().Name}.{value} has no YAML name");
    }
}

/// <summary>A value that does not convert, with the key it stands under.</summary>
internal sealed class ConfigValueException(Mark start, Mark end, string key, string problem) : YamlException(start, end, problem)
{
    public string Key { get; } = key;

    public string Problem { get; } = problem;
}
