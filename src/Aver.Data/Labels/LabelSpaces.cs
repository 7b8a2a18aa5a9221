namespace Aver.Data.Labels;

/// <summary>The label spaces of the corpora Aver reads and of the papers' emotion models.</summary>
public static class LabelSpaces
{
    /// <summary>RAVDESS emotions in file-name code order 01..08.</summary>
    public static LabelSpace Ravdess8 { get; } = new("ravdess8", ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]);

    /// <summary>CREMA-D emotions, in the order of the codes ANG DIS FEA HAP NEU SAD.</summary>
    public static LabelSpace CremaD6 { get; } = new("cremad6", ["anger", "disgust", "fear", "happy", "neutral", "sad"]);

    /// <summary>FER2013 classes in the order of the `emotion` column of fer2013.csv (0..6).</summary>
    public static LabelSpace Fer7 { get; } = new("fer7", ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]);

    /// <summary>EMO-DB emotions, in the order of the letters W L E A F T N.</summary>
    public static LabelSpace EmoDb7 { get; } = new("emodb7", ["anger", "boredom", "disgust", "fear", "happiness", "sadness", "neutral"]);

    /// <summary>AVEF's discrete model: the six basic emotions (Ma et al. 2019, §4.1).</summary>
    public static LabelSpace Basic6 { get; } = new("basic6", ["anger", "disgust", "fear", "happiness", "sadness", "surprise"]);

    /// <summary>AVEF's binary arousal (Table 2).</summary>
    public static LabelSpace Arousal { get; } = new("arousal", ["low", "high"]);

    /// <summary>AVEF's binary valence (Table 2).</summary>
    public static LabelSpace Valence { get; } = new("valence", ["negative", "positive"]);

    /// <summary>Every predefined space, in the order a manifest's labels are matched against them.</summary>
    public static IReadOnlyList<LabelSpace> All { get; } = [Basic6, CremaD6, Ravdess8, Fer7, EmoDb7, Arousal, Valence];

    /// <summary>A predefined space by name (case-insensitive), or null.</summary>
    public static LabelSpace? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
