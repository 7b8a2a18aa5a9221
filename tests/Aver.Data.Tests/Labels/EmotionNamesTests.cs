using Aver.Data.Catalogs;
using Aver.Data.Labels;

namespace Aver.Data.Tests.Labels;

public sealed class EmotionNamesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-emotions-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("sadness", "sad")]
    [InlineData("OAF_angry", "angry")]
    [InlineData("YAF_pleasant_surprise", "surprise")]
    [InlineData("HAP", "happy")]
    [InlineData("fearful", "fear")]
    [InlineData("table", null)]
    public void Class_names_of_many_corpora_mean_one_emotion(string name, string? emotion) => Assert.Equal(emotion, EmotionNames.Of(name));

    [Fact]
    public void A_built_in_map_is_used_where_one_exists_and_overrides_win()
    {
        var (map, how) = EmotionNames.Match(LabelSpaces.Ravdess8, LabelSpaces.Fer7);
        Assert.Contains("built-in map ravdess8->fer7", how);
        Assert.Equal(["calm"], map.Unmapped);
        var (over, how2) = EmotionNames.Match(LabelSpaces.Ravdess8, LabelSpaces.Fer7, new Dictionary<string, string?> { ["calm"] = "neutral", ["happy"] = null });
        Assert.True(over.TryMap(LabelSpaces.Ravdess8["calm"], out var calm) && calm.Name == "neutral");
        Assert.Equal(["happy"], over.Unmapped);
        Assert.Contains("--map", how2);
    }

    [Fact]
    public void Without_a_built_in_map_classes_are_matched_by_emotion_name()
    {
        var data = new LabelSpace("mine", ["sadness", "joy", "boredom"]);
        var (map, how) = EmotionNames.Match(data, LabelSpaces.Fer7);
        Assert.Contains("by emotion name", how);
        Assert.True(map.TryMap(data["sadness"], out var sad) && sad.Name == "sad");
        Assert.True(map.TryMap(data["joy"], out var happy) && happy.Name == "happy");
        Assert.Equal(["boredom"], map.Unmapped);
        var e = Assert.Throws<ArgumentException>(() => EmotionNames.Match(data, LabelSpaces.Fer7, new Dictionary<string, string?> { ["boredom"] = "bored" }));
        Assert.Contains("the model has no class 'bored'", e.Message);
    }

    [Fact]
    public void A_folder_per_class_is_a_corpus()
    {
        foreach (var (folder, file) in new[] { ("OAF_angry", "a.wav"), ("YAF_angry", "b.wav"), ("sadness", "c.jpg"), ("sadness/sub", "d.mp4") })
        {
            Directory.CreateDirectory(Path.Combine(_dir, folder));
            File.WriteAllBytes(Path.Combine(_dir, folder, file), [1, 2, 3]);
        }
        File.WriteAllText(Path.Combine(_dir, "sadness", "notes.txt"), "x");
        Assert.Equal(ClassFolderCatalog.DatasetName, DatasetReader.Detect(_dir));
        var catalog = DatasetReader.Open(_dir);
        Assert.Equal(["sad", "angry"], catalog.Labels.Names);
        Assert.Equal(4, catalog.Items.Count);
        Assert.Equal(2, catalog.Items.Count(i => i.Label.Name == "angry"));
        Assert.Contains(catalog.Items, i => i.Path.EndsWith("d.mp4") && i.Label.Name == "sad");
        Assert.Single(catalog.Skipped);
    }
}
