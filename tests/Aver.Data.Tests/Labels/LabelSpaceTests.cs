using Aver.Data.Labels;

namespace Aver.Data.Tests.Labels;

public class LabelSpaceTests
{
    [Fact]
    public void SpacesHaveThePapersClassesInOrder()
    {
        Assert.Equal(["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"], LabelSpaces.Ravdess8.Names);
        Assert.Equal(6, LabelSpaces.CremaD6.Count);
        Assert.Equal(["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"], LabelSpaces.Fer7.Names);
        Assert.Equal(["anger", "disgust", "fear", "happiness", "sadness", "surprise"], LabelSpaces.Basic6.Names);
        Assert.Equal("calm", LabelSpaces.Ravdess8[1].Name);
        Assert.Equal(4, LabelSpaces.Ravdess8["angry"].Index);
    }

    [Fact]
    public void LabelCarriesItsSpaceAndUnknownNamesAreErrors()
    {
        var l = LabelSpaces.Fer7["happy"];
        Assert.Same(LabelSpaces.Fer7, l.Space);
        var e = Assert.Throws<ArgumentException>(() => LabelSpaces.Fer7["calm"]);
        Assert.Contains("fer7", e.Message);
        Assert.Throws<ArgumentException>(() => new LabelSpace("x", ["a", "a"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelSpaces.Basic6[6]);
        Assert.Equal(new LabelSpace("arousal", ["low", "high"]), LabelSpaces.Arousal);
        Assert.NotEqual(new LabelSpace("arousal", ["high", "low"]), LabelSpaces.Arousal);
    }

    [Fact]
    public void CalmHasNoCounterpartOutsideRavdess()
    {
        foreach (var map in LabelMaps.All.Where(m => m.From.Equals(LabelSpaces.Ravdess8)))
        {
            Assert.Contains("calm", map.Unmapped);
            Assert.False(map.TryMap(LabelSpaces.Ravdess8["calm"], out _));
            var e = Assert.Throws<UnmappedLabelException>(() => map.Map(LabelSpaces.Ravdess8["calm"]));
            Assert.Contains("calm", e.Message);
        }
        Assert.Equal("surprise", LabelMaps.RavdessToBasic6.Map(LabelSpaces.Ravdess8["surprised"]).Name);
        Assert.Equal("fear", LabelMaps.RavdessToFer7.Map(LabelSpaces.Ravdess8["fearful"]).Name);
        Assert.Equal(["neutral", "calm"], LabelMaps.RavdessToBasic6.Unmapped);
        Assert.Empty(LabelMaps.CremaDToFer7.Unmapped);
    }

    [Theory]
    // AVEF Table 2: arousal low = disgust, sadness; valence positive = happiness, surprise.
    [InlineData("anger", "high", "negative")]
    [InlineData("disgust", "low", "negative")]
    [InlineData("fear", "high", "negative")]
    [InlineData("happiness", "high", "positive")]
    [InlineData("sadness", "low", "negative")]
    [InlineData("surprise", "high", "positive")]
    public void ArousalAndValenceFollowAvefTable2(string emotion, string arousal, string valence)
    {
        var l = LabelSpaces.Basic6[emotion];
        Assert.Equal(arousal, LabelMaps.Basic6ToArousal.Map(l).Name);
        Assert.Equal(valence, LabelMaps.Basic6ToValence.Map(l).Name);
    }

    [Fact]
    public void MapsChainAndMustListEverySourceClass()
    {
        var ravdessArousal = LabelMaps.Between(LabelSpaces.Ravdess8, LabelSpaces.Arousal)!;
        Assert.Equal("ravdess8->arousal", ravdessArousal.Name);
        Assert.Equal("low", ravdessArousal.Map(LabelSpaces.Ravdess8["sad"]).Name);
        Assert.Equal("high", ravdessArousal.Map(LabelSpaces.Ravdess8["surprised"]).Name);
        Assert.Equal(["neutral", "calm"], ravdessArousal.Unmapped);
        Assert.Null(LabelMaps.Between(LabelSpaces.Arousal, LabelSpaces.Valence));
        var identity = LabelMaps.Between(LabelSpaces.Fer7, LabelSpaces.Fer7)!;
        Assert.Empty(identity.Unmapped);
        Assert.Equal(LabelSpaces.Fer7["sad"], identity.Map(LabelSpaces.Fer7["sad"]));
        Assert.Same(LabelMaps.CremaDToBasic6, LabelMaps.Between(LabelSpaces.CremaD6, LabelSpaces.Basic6));
        var e = Assert.Throws<ArgumentException>(() => new LabelMap(LabelSpaces.Arousal, LabelSpaces.Valence, new Dictionary<string, string?> { ["low"] = "negative" }));
        Assert.Contains("'high' is not listed", e.Message);
        Assert.Throws<ArgumentException>(() => LabelMaps.Basic6ToArousal.TryMap(LabelSpaces.Fer7["happy"], out _));
    }
}
