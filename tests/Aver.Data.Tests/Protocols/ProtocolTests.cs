using Aver.Data.Catalogs;
using Aver.Data.Protocols;

namespace Aver.Data.Tests.Protocols;

public class ProtocolTests
{
    private static void AssertSpeakerIndependent(SplitPlan plan)
    {
        Assert.False(plan.SpeakerDependent);
        foreach (var f in plan.Folds)
        {
            var train = f.Train.Select(i => i.Speaker).ToHashSet();
            var val = f.Validation.Select(i => i.Speaker).ToHashSet();
            var test = f.Test.Select(i => i.Speaker).ToHashSet();
            Assert.Empty(train.Intersect(test));
            Assert.Empty(train.Intersect(val));
            Assert.Empty(val.Intersect(test));
            Assert.NotEmpty(f.Train);
            Assert.NotEmpty(f.Validation);
            Assert.NotEmpty(f.Test);
            Assert.Equal(plan.Catalog.Items.Count, f.Train.Count + f.Validation.Count + f.Test.Count);
            Assert.Equal(f.TestSpeakers.Order(), test.Select(s => s!).Order());
            Assert.Equal(f.ValidationSpeakers.Order(), val.Select(s => s!).Order());
            Assert.Empty(f.Train.Select(i => i.RecordingId).Intersect(f.Test.Select(i => i.RecordingId)));
        }
        // Every speaker is tested exactly once.
        Assert.Equal(plan.Catalog.Speakers.Order(), plan.Folds.SelectMany(f => f.TestSpeakers).Order());
    }

    [Fact]
    public void RavdessActorPairsMakeTwelveFoldsWithTheNextPairForValidation()
    {
        var plan = new RavdessActorPairs().Make(Synthetic.Ravdess(24), seed: 0);
        Assert.Equal(12, plan.Folds.Count);
        Assert.Equal("A1,2", plan.Folds[0].Name);
        Assert.Equal("A23,24", plan.Folds[11].Name);
        Assert.Equal(["01", "02"], plan.Folds[0].TestSpeakers);
        Assert.Equal(["03", "04"], plan.Folds[0].ValidationSpeakers);
        Assert.Equal(["01", "02"], plan.Folds[11].ValidationSpeakers);
        AssertSpeakerIndependent(plan);
        // each held-out pair is one man and one woman
        Assert.All(plan.Folds, f => Assert.Equal(2, f.Test.Select(i => i.Sex).Distinct().Count()));
    }

    [Fact]
    public void RavdessActorPairsUseOnlyThePairsPresent()
    {
        var plan = new RavdessActorPairs().Make(Synthetic.Ravdess(16), seed: 0);
        Assert.Equal(["A1,2", "A3,4", "A5,6", "A7,8", "A9,10", "A11,12", "A13,14", "A15,16"], plan.Folds.Select(f => f.Name));
        AssertSpeakerIndependent(plan);
        var odd = new RavdessActorPairs().Make(Synthetic.Ravdess(5), seed: 0);
        Assert.Equal("A5,6", odd.Folds[2].Name);
        Assert.Equal(["05"], odd.Folds[2].TestSpeakers);
        Assert.Contains(odd.Notes, n => n.Contains("only actor 05"));
    }

    [Fact]
    public void CremaDSplitsHoldOutTenPercentBalancedBySex()
    {
        var (corpus, sexes) = Synthetic.CremaDFolder();
        using (corpus)
        {
            var catalog = CremaDCatalog.Read(corpus.Root);
            Assert.Equal(91, catalog.Speakers.Count);
            Assert.All(catalog.Items, i => Assert.Equal(sexes[i.Speaker!], i.Sex));
            var plan = SexBalancedGroups.CremaD().Make(catalog, seed: 3);
            Assert.Equal(9, plan.Folds.Count);
            Assert.Equal(["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"], plan.Folds.Select(f => f.Name));
            AssertSpeakerIndependent(plan);
            foreach (var f in plan.Folds)
            {
                int males = f.TestSpeakers.Count(s => sexes[s] == Sex.Male), females = f.TestSpeakers.Count - males;
                Assert.InRange(f.TestSpeakers.Count, 10, 11);            // ~10% of 91 actors
                Assert.InRange(males, 5, 6);                            // 48 men over 9 splits
                Assert.InRange(females, 4, 5);                          // 43 women over 9 splits
                Assert.InRange(f.ValidationSpeakers.Count, 10, 11);
            }
            Assert.DoesNotContain(plan.Notes, n => n.Contains("sex unknown"));
            // another seed draws other groups
            var other = SexBalancedGroups.CremaD().Make(catalog, seed: 4);
            Assert.NotEqual(plan.Folds[0].TestSpeakers, other.Folds[0].TestSpeakers);
        }
    }

    [Fact]
    public void CremaDWithoutDemographicsFallsBackToCountBalanceAndSaysSo()
    {
        var catalog = Synthetic.Speakers(Enumerable.Range(1001, 91).Select(a => (a.ToString(), (Sex?)null, 2)));
        var plan = SexBalancedGroups.CremaD().Make(catalog, seed: 1);
        AssertSpeakerIndependent(plan);
        Assert.All(plan.Folds, f => Assert.InRange(f.TestSpeakers.Count, 10, 11));
        Assert.Contains(plan.Notes, n => n.Contains("sex unknown for every speaker"));
    }

    [Fact]
    public void LeaveOneSpeakerOutTestsEachSpeakerAlone()
    {
        var catalog = Synthetic.Speakers(Enumerable.Range(1, 8).Select(s => ($"s{s}", (Sex?)null, 10)));
        var plan = new LeaveOneSpeakerOut().Make(catalog, seed: 0);
        Assert.Equal(8, plan.Folds.Count);
        Assert.All(plan.Folds, f => Assert.Single(f.TestSpeakers));
        Assert.All(plan.Folds, f => Assert.Single(f.ValidationSpeakers));
        Assert.All(plan.Folds, f => Assert.Equal(60, f.Train.Count));
        AssertSpeakerIndependent(plan);
    }

    [Fact]
    public void LeaveOneSpeakerGroupOutAndSpeakerKFold()
    {
        var catalog = Synthetic.Speakers(Enumerable.Range(1, 43).Select(s => ($"{s}", (Sex?)(s % 3 == 0 ? Sex.Female : Sex.Male), 5 + s % 7)));
        var losgo = SexBalancedGroups.Losgo(5).Make(catalog, seed: 9);
        Assert.Equal(5, losgo.Folds.Count);
        AssertSpeakerIndependent(losgo);
        Assert.All(losgo.Folds, f => Assert.InRange(f.TestSpeakers.Count, 8, 9));
        var kfold = new SpeakerKFold(4).Make(catalog, seed: 9);
        Assert.Equal(4, kfold.Folds.Count);
        AssertSpeakerIndependent(kfold);
        var sizes = kfold.Folds.Select(f => f.Test.Count).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 11, $"fold sizes {string.Join(",", sizes)} are unbalanced"); // at most one speaker's items apart
    }

    [Fact]
    public void SpeakerProtocolsRefuseItemsWithoutSpeakers()
    {
        var catalog = Synthetic.Speakers([("a", null, 3), ("b", null, 3)]);
        var noSpeaker = new Catalog("x", "/x", catalog.Labels, catalog.Items.Select((i, k) => k == 0 ? i with { Speaker = null } : i), []);
        Assert.Contains("have no speaker id", Assert.Throws<DatasetException>(() => new LeaveOneSpeakerOut().Make(noSpeaker, 0)).Message);
        Assert.Contains("at least 3", Assert.Throws<DatasetException>(() => new LeaveOneSpeakerOut().Make(catalog, 0)).Message);
    }

    [Fact]
    public void RandomSplitIsMarkedSpeakerDependentStratifiedAndKeepsTwinsTogether()
    {
        var catalog = Synthetic.Ravdess(4);
        var plan = new RandomStratifiedSplit(0.25, 0.125).Make(catalog, seed: 2);
        Assert.True(plan.SpeakerDependent);
        Assert.Contains(plan.Notes, n => n.StartsWith("SPEAKER-DEPENDENT"));
        var f = Assert.Single(plan.Folds);
        Assert.Equal(catalog.Items.Count, f.Train.Count + f.Validation.Count + f.Test.Count);
        var testRecordings = f.Test.Select(i => i.RecordingId).ToHashSet();
        Assert.DoesNotContain(f.Train, i => testRecordings.Contains(i.RecordingId));
        // 8 recordings per label (4 actors x 2 takes): 2 to test, 1 to validation
        Assert.All(f.Test.GroupBy(i => i.Label).Select(g => g.Select(i => i.RecordingId).Distinct().Count()), n => Assert.Equal(2, n));
        Assert.Equal(8, f.Test.GroupBy(i => i.Label).Count());
    }

    [Fact]
    public void RegistryBuildsEveryProtocolByName()
    {
        foreach (var (name, _) in ProtocolRegistry.Known)
            Assert.Equal(name, ProtocolRegistry.Create(name).Name);
        Assert.Equal(9, Assert.IsType<SexBalancedGroups>(ProtocolRegistry.Create("crema-d")).Groups);
        Assert.Equal(7, Assert.IsType<SexBalancedGroups>(ProtocolRegistry.Create("losgo", 7)).Groups);
        Assert.Equal(4, Assert.IsType<SpeakerKFold>(ProtocolRegistry.Create("speaker-kfold", 4)).Folds);
        Assert.Contains("unknown protocol", Assert.Throws<ArgumentException>(() => ProtocolRegistry.Create("nope")).Message);
    }

    [Fact]
    public void LeakCheckThrowsWithTheOffendingIds()
    {
        var c = Synthetic.Ravdess(3);
        var audio = c.Items.Where(i => i.Modality == Modality.Audio && i.Speaker == "01").ToArray();
        var video = c.Items.Where(i => i.Modality == Modality.AudioVideo && i.Speaker == "01").ToArray();
        var others = c.Items.Where(i => i.Speaker != "01").ToArray();
        var fold = new Fold("bad", audio, others.Where(i => i.Speaker == "02").ToArray(), video, ["02"], ["01"]);
        var e = Assert.Throws<SplitLeakException>(() => LeakCheck.Verify(fold, speakerIndependent: true));
        Assert.Equal(["01"], e.Speakers);
        Assert.Equal(8, e.Recordings.Count); // the 01-/03- twins of actor 01's first takes
        Assert.Contains("1 speaker on both sides (01)", e.Message);
        Assert.Contains("ravdess:01-01-01-01-01-01", e.Message);
        // a speaker-dependent split still may not split a recording
        var e2 = Assert.Throws<SplitLeakException>(() => LeakCheck.Verify(fold, speakerIndependent: false));
        Assert.Empty(e2.Speakers);
        Assert.Equal(8, e2.Recordings.Count);
    }

    [Fact]
    public void PredefinedSplitFollowsTheCorpusAndMarksUnknownSpeakersDependent()
    {
        var items = Synthetic.Speakers([("a", Sex.Male, 4), ("b", Sex.Female, 4), ("c", Sex.Male, 4)]).Items
            .Select(i => i with { Fields = new Dictionary<string, string> { ["split"] = i.Speaker switch { "a" => "train", "b" => "validation", _ => "test" } } });
        var catalog = new Catalog("manifest", "/m", Aver.Data.Labels.LabelSpaces.Basic6, items, []);
        var plan = new PredefinedSplit().Make(catalog, 0);
        Assert.False(plan.SpeakerDependent);
        Assert.Equal((4, 4, 4), (plan.Folds[0].Train.Count, plan.Folds[0].Validation.Count, plan.Folds[0].Test.Count));
        var faces = new Catalog("fer2013", "/f", catalog.Labels, catalog.Items.Select(i => i with { Speaker = null }), []);
        Assert.True(new PredefinedSplit().Make(faces, 0).SpeakerDependent);
    }

    [Fact]
    public void ManifestsAreByteIdenticalForTheSameSeedAndReadBack()
    {
        var (corpus, _) = Synthetic.CremaDFolder(filesPerActor: 2);
        using (corpus)
        using (var outs = new TempCorpus())
        {
            var catalog = CremaDCatalog.Read(corpus.Root);
            var a = SplitManifest.Write(SexBalancedGroups.CremaD().Make(catalog, 11), outs.Path_("a"));
            var b = SplitManifest.Write(SexBalancedGroups.CremaD().Make(CremaDCatalog.Read(corpus.Root), 11), outs.Path_("b"));
            var c = SplitManifest.Write(SexBalancedGroups.CremaD().Make(catalog, 12), outs.Path_("c"));
            Assert.Equal(10, a.Count);
            for (int k = 0; k < a.Count; k++)
                Assert.Equal(File.ReadAllBytes(a[k]), File.ReadAllBytes(b[k]));
            Assert.NotEqual(File.ReadAllBytes(a[0]), File.ReadAllBytes(c[0]));
            Assert.Empty(Directory.GetFiles(outs.Path_("a"), "*.tmp"));

            // A fold manifest is itself a manifest: reading it back and splitting by its split column gives the fold.
            var back = ManifestCatalog.Read(a[0], catalog.Labels);
            Assert.Empty(back.Skipped);
            var again = new PredefinedSplit().Make(back, 0).Folds[0];
            var fold = SexBalancedGroups.CremaD().Make(catalog, 11).Folds[0];
            Assert.Equal(fold.Test.Select(i => i.Path), again.Test.Select(i => i.Path));
            Assert.Equal(fold.Validation.Select(i => i.Path), again.Validation.Select(i => i.Path));
            Assert.Equal(fold.Test.Select(i => i.Sex), again.Test.Select(i => i.Sex));

            var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(a[^1])).RootElement;
            Assert.Equal("crema-d", summary.GetProperty("protocol").GetString());
            Assert.False(summary.GetProperty("speakerDependent").GetBoolean());
            Assert.Equal(9, summary.GetProperty("folds").GetArrayLength());
            Assert.Equal("fold-01.csv", summary.GetProperty("folds")[0].GetProperty("manifest").GetString());
        }
    }
}
