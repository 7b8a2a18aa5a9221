namespace Aver.Data.Labels;

/// <summary>
/// The explicit maps between Aver's label spaces. "calm" exists only in RAVDESS and "boredom" only
/// in EMO-DB; "neutral" is not one of AVEF's six basic emotions; RAVDESS "surprised" has no
/// CREMA-D counterpart. Each such class is listed as unmapped (null).
/// </summary>
public static class LabelMaps
{
    /// <summary>RAVDESS 8 → AVEF six basic emotions (neutral and calm unmapped).</summary>
    public static LabelMap RavdessToBasic6 { get; } = new(LabelSpaces.Ravdess8, LabelSpaces.Basic6, new Dictionary<string, string?>
    {
        ["neutral"] = null, ["calm"] = null, ["happy"] = "happiness", ["sad"] = "sadness",
        ["angry"] = "anger", ["fearful"] = "fear", ["disgust"] = "disgust", ["surprised"] = "surprise",
    });

    /// <summary>RAVDESS 8 → FER 7 (calm unmapped).</summary>
    public static LabelMap RavdessToFer7 { get; } = new(LabelSpaces.Ravdess8, LabelSpaces.Fer7, new Dictionary<string, string?>
    {
        ["neutral"] = "neutral", ["calm"] = null, ["happy"] = "happy", ["sad"] = "sad",
        ["angry"] = "angry", ["fearful"] = "fear", ["disgust"] = "disgust", ["surprised"] = "surprise",
    });

    /// <summary>RAVDESS 8 → CREMA-D 6 (calm and surprised unmapped).</summary>
    public static LabelMap RavdessToCremaD6 { get; } = new(LabelSpaces.Ravdess8, LabelSpaces.CremaD6, new Dictionary<string, string?>
    {
        ["neutral"] = "neutral", ["calm"] = null, ["happy"] = "happy", ["sad"] = "sad",
        ["angry"] = "anger", ["fearful"] = "fear", ["disgust"] = "disgust", ["surprised"] = null,
    });

    /// <summary>CREMA-D 6 → AVEF six basic emotions (neutral unmapped).</summary>
    public static LabelMap CremaDToBasic6 { get; } = new(LabelSpaces.CremaD6, LabelSpaces.Basic6, new Dictionary<string, string?>
    {
        ["anger"] = "anger", ["disgust"] = "disgust", ["fear"] = "fear", ["happy"] = "happiness", ["neutral"] = null, ["sad"] = "sadness",
    });

    /// <summary>CREMA-D 6 → FER 7 (every class has a counterpart).</summary>
    public static LabelMap CremaDToFer7 { get; } = new(LabelSpaces.CremaD6, LabelSpaces.Fer7, new Dictionary<string, string?>
    {
        ["anger"] = "angry", ["disgust"] = "disgust", ["fear"] = "fear", ["happy"] = "happy", ["neutral"] = "neutral", ["sad"] = "sad",
    });

    /// <summary>FER 7 → AVEF six basic emotions (neutral unmapped).</summary>
    public static LabelMap Fer7ToBasic6 { get; } = new(LabelSpaces.Fer7, LabelSpaces.Basic6, new Dictionary<string, string?>
    {
        ["angry"] = "anger", ["disgust"] = "disgust", ["fear"] = "fear", ["happy"] = "happiness",
        ["sad"] = "sadness", ["surprise"] = "surprise", ["neutral"] = null,
    });

    /// <summary>EMO-DB 7 → AVEF six basic emotions (boredom and neutral unmapped; EMO-DB has no surprise).</summary>
    public static LabelMap EmoDbToBasic6 { get; } = new(LabelSpaces.EmoDb7, LabelSpaces.Basic6, new Dictionary<string, string?>
    {
        ["anger"] = "anger", ["boredom"] = null, ["disgust"] = "disgust", ["fear"] = "fear",
        ["happiness"] = "happiness", ["sadness"] = "sadness", ["neutral"] = null,
    });

    /// <summary>Six basic emotions → binary arousal, AVEF Table 2: low = disgust, sadness; high = anger, happiness, fear, surprise.</summary>
    public static LabelMap Basic6ToArousal { get; } = new(LabelSpaces.Basic6, LabelSpaces.Arousal, new Dictionary<string, string?>
    {
        ["anger"] = "high", ["disgust"] = "low", ["fear"] = "high", ["happiness"] = "high", ["sadness"] = "low", ["surprise"] = "high",
    });

    /// <summary>Six basic emotions → binary valence, AVEF Table 2: negative = anger, fear, disgust, sadness; positive = happiness, surprise.</summary>
    public static LabelMap Basic6ToValence { get; } = new(LabelSpaces.Basic6, LabelSpaces.Valence, new Dictionary<string, string?>
    {
        ["anger"] = "negative", ["disgust"] = "negative", ["fear"] = "negative", ["happiness"] = "positive", ["sadness"] = "negative", ["surprise"] = "positive",
    });

    /// <summary>Every predefined map.</summary>
    public static IReadOnlyList<LabelMap> All { get; } =
        [RavdessToBasic6, RavdessToFer7, RavdessToCremaD6, CremaDToBasic6, CremaDToFer7, Fer7ToBasic6, EmoDbToBasic6, Basic6ToArousal, Basic6ToValence];

    /// <summary>
    /// A map from <paramref name="from"/> to <paramref name="to"/>: identity, a predefined map, or
    /// a predefined map followed by basic6→arousal/valence. Null when none is defined.
    /// </summary>
    public static LabelMap? Between(LabelSpace from, LabelSpace to)
    {
        if (from.Equals(to)) return new LabelMap(from, to, from.Names.ToDictionary(n => n, n => (string?)n));
        var direct = All.FirstOrDefault(m => m.From.Equals(from) && m.To.Equals(to));
        if (direct is not null) return direct;
        var toBasic = from.Equals(LabelSpaces.Basic6) ? null : All.FirstOrDefault(m => m.From.Equals(from) && m.To.Equals(LabelSpaces.Basic6));
        var fromBasic = All.FirstOrDefault(m => m.From.Equals(LabelSpaces.Basic6) && m.To.Equals(to));
        return toBasic is not null && fromBasic is not null ? toBasic.Then(fromBasic) : null;
    }
}
