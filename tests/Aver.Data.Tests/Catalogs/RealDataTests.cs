using Aver.Data.Catalogs;
using Aver.Data.Protocols;

namespace Aver.Data.Tests.Catalogs;

/// <summary>The catalogs on every folder of ../shared/data (see its README for the counts).</summary>
public class RealDataTests
{
    [FactRequires(Need.SharedData)]
    public void RavdessSpeechHas960FilesOf16Actors()
    {
        var cat = DatasetReader.Open(TestPaths.Data("ravdess", "speech16k"));
        Assert.Equal("ravdess", cat.Dataset);
        Assert.Equal(960, cat.Items.Count);
        Assert.Empty(cat.Skipped);
        Assert.Equal(Enumerable.Range(1, 16).Select(a => a.ToString("00")), cat.Speakers);
        Assert.All(cat.Items, i => Assert.Equal(Modality.Audio, i.Modality));
        Assert.All(cat.Items, i => Assert.Equal("speech", i.Field("vocal_channel")));
        var s = cat.Summarize();
        Assert.Equal(64, s.Labels.Single(l => l.Key == "neutral").Value);   // 16 actors x 4 (normal intensity only)
        Assert.Equal(128, s.Labels.Single(l => l.Key == "calm").Value);     // 16 actors x 8
        Assert.Equal(480, s.Sexes.Single(x => x.Key == "male").Value);
        Assert.All(s.Speakers, sp => Assert.Equal(60, sp.Value));
    }

    [FactRequires(Need.SharedData)]
    public void RavdessWholeFolderPairsTheAvClipsWithTheirAudioTwins()
    {
        var cat = RavdessCatalog.Read(TestPaths.Data("ravdess"));
        Assert.Equal(966, cat.Items.Count);
        var av = cat.Items.Where(i => i.Modality == Modality.AudioVideo).ToArray();
        Assert.Equal(6, av.Length);
        Assert.All(av, i => Assert.EndsWith(".mp4", i.Path));
        // every AV clip's 03- twin (actors 01-16 are all present) points back at it and shares its recording
        foreach (var clip in av)
        {
            var twin = Assert.Single(cat.Items, i => i.Modality == Modality.Audio && i.RecordingId == clip.RecordingId);
            Assert.Equal(clip.Path, twin.PairedVideo);
            Assert.Equal(Path.GetFileName(clip.Path)[3..^4], Path.GetFileName(twin.Path)[3..^4]);
        }
        Assert.Equal(960, cat.Summarize().Recordings);

        var plan = new RavdessActorPairs().Make(cat, seed: 0);
        Assert.Equal(8, plan.Folds.Count);
        Assert.Equal("A15,16", plan.Folds[^1].Name);
        Assert.All(plan.Folds, f => Assert.Equal(120, f.Test.Count(i => i.Modality == Modality.Audio)));
    }

    [FactRequires(Need.SharedData)]
    public void CremaDHasThreeFlashClipsAndThreeMp3s()
    {
        var cat = DatasetReader.Open(TestPaths.Data("crema-d"));
        Assert.Equal("crema-d", cat.Dataset);
        Assert.Equal(6, cat.Items.Count);
        Assert.Empty(cat.Skipped);
        Assert.Equal(3, cat.Items.Count(i => i.Path.EndsWith(".flv") && i.Modality == Modality.AudioVideo));
        Assert.Equal(3, cat.Items.Count(i => i.Path.EndsWith(".mp3") && i.Modality == Modality.Audio));
        Assert.Equal(["1001", "1002"], cat.Speakers);
        Assert.Equal(["anger", "happy", "neutral"], cat.Items.Select(i => i.Label.Name).Distinct().Order());
        Assert.All(cat.Items, i => Assert.Null(i.Sex)); // no VideoDemographics.csv in the shared copy
        Assert.All(cat.Items, i => Assert.Null(i.PairedVideo)); // the mp3s are of actor 1002, the clips of 1001
    }

    [FactRequires(Need.SharedData)]
    public void Fer2013FoldersAreListedWithTheirUsage()
    {
        var root = TestPaths.Data("fer2013");
        var cat = DatasetReader.Open(root);
        Assert.Equal("fer2013", cat.Dataset);
        Assert.Equal(35_887, cat.Items.Count);
        Assert.Empty(cat.Skipped);
        Assert.Equal(28_709, cat.Items.Count(i => i.Field("usage") == "train"));
        Assert.Equal(7_178, cat.Items.Count(i => i.Field("usage") == "test"));
        Assert.All(cat.Labels.Names, n => Assert.Contains(cat.Items, i => i.Label.Name == n));
        var plan = new PredefinedSplit().Make(cat, 0);
        Assert.True(plan.SpeakerDependent); // faces have no speaker ids
        Assert.Equal(7_178, plan.Folds[0].Test.Count);
    }

    [FactRequires(Need.SharedData)]
    public void TheSharedRootHoldsSeveralCorporaAndSaysSo()
    {
        var e = Assert.Throws<DatasetException>(() => DatasetReader.Detect(TestPaths.Data()));
        Assert.Contains("several corpora", e.Message);
    }
}
