using Aver.Data.Catalogs;
using Aver.Data.Labels;

namespace Aver.Data.Tests.Catalogs;

public class CatalogTests
{
    [Fact]
    public void RavdessReadsActorFoldersAndFlatFilesAndPairsTwins()
    {
        using var c = new TempCorpus();
        var audio = c.File("Actor_01/03-01-05-02-01-02-01.wav");
        var av = c.File("av/01-01-05-02-01-02-01.mp4");
        var videoOnly = c.File("av/02-01-05-02-01-02-01.mp4");
        var lone = c.File("Actor_02/03-02-02-01-02-01-02.wav"); // song, calm, actress
        var onlyVideo = c.File("02-01-08-01-01-01-02.mp4");
        var cat = RavdessCatalog.Read(c.Root);

        Assert.Equal(5, cat.Items.Count);
        Assert.Empty(cat.Skipped);
        var a = cat.Items.Single(i => i.Path == audio);
        Assert.Equal(Modality.Audio, a.Modality);
        Assert.Equal("angry", a.Label.Name);
        Assert.Equal("01", a.Speaker);
        Assert.Equal(Sex.Male, a.Sex);
        Assert.Equal("strong", a.Field("intensity"));
        Assert.Equal("speech", a.Field("vocal_channel"));
        Assert.Equal("02", a.Field("repetition"));
        Assert.Equal(av, a.PairedVideo); // the audio-video twin is preferred over the video-only one
        Assert.Equal(a.RecordingId, cat.Items.Single(i => i.Path == av).RecordingId);
        Assert.Equal(a.RecordingId, cat.Items.Single(i => i.Path == videoOnly).RecordingId);
        Assert.Equal(Modality.Video, cat.Items.Single(i => i.Path == videoOnly).Modality);
        var l = cat.Items.Single(i => i.Path == lone);
        Assert.Equal(("song", "calm", Sex.Female), (l.Field("vocal_channel"), l.Label.Name, l.Sex!.Value));
        Assert.Null(l.PairedVideo);
        Assert.Null(cat.Items.Single(i => i.Path == onlyVideo).PairedVideo);
        Assert.Equal(["01", "02"], cat.Speakers);
        Assert.Equal(3, cat.Summarize().Recordings);
        // Speech(): the song take goes, every speech take (audio and video) stays
        Assert.Equal(cat.Items.Where(i => i.Path != lone).Select(i => i.Path).Order(), cat.Speech().Items.Select(i => i.Path).Order());
    }

    [Fact]
    public void RavdessReportsEverySkippedFileWithItsReason()
    {
        using var c = new TempCorpus();
        c.File("Actor_01/03-01-01-01-01-01-01.wav");
        var empty = c.File("Actor_01/03-01-02-01-01-01-01.wav", empty: true);
        var badName = c.File("Actor_01/notes.txt");
        var badEmotion = c.File("Actor_01/03-01-09-01-01-01-01.wav");
        var wrongFolder = c.File("Actor_01/03-01-03-01-01-01-02.wav");
        var wrongExt = c.File("Actor_01/03-01-03-01-01-01-01.mp4");
        var hidden = c.File(".DS_Store");
        var cat = RavdessCatalog.Read(c.Root);

        Assert.Single(cat.Items);
        var reasons = cat.Skipped.ToDictionary(s => s.Path, s => s.Reason);
        Assert.Equal(6, reasons.Count);
        Assert.Equal("empty file", reasons[empty]);
        Assert.Contains("does not match RAVDESS", reasons[badName]);
        Assert.Contains("emotion code 09", reasons[badEmotion]);
        Assert.Contains("inside folder Actor_01", reasons[wrongFolder]);
        Assert.Contains("but the file is .mp4", reasons[wrongExt]);
        Assert.Equal("hidden file", reasons[hidden]);
    }

    [Fact]
    public void RecordingIdIgnoresTheModalityOnly()
    {
        Assert.Equal(RavdessCatalog.RecordingIdOf("01-01-03-02-01-01-12.mp4"), RavdessCatalog.RecordingIdOf("03-01-03-02-01-01-12.wav"));
        Assert.NotEqual(RavdessCatalog.RecordingIdOf("03-01-03-02-01-02-12.wav"), RavdessCatalog.RecordingIdOf("03-01-03-02-01-01-12.wav"));
        Assert.Throws<ArgumentException>(() => RavdessCatalog.RecordingIdOf("x.wav"));
    }

    [Fact]
    public void CremaDReadsTheDownloadLayoutWithDemographics()
    {
        using var c = new TempCorpus();
        var wav = c.File("AudioWAV/1001_DFA_ANG_XX.wav");
        c.File("AudioMP3/1001_DFA_ANG_XX.mp3");
        var flv = c.File("VideoFlash/1001_DFA_ANG_XX.flv");
        c.File("AudioWAV/1002_IEO_SAD_HI.wav");
        c.File("AudioWAV/1003_IEO_HAP_LO.wav");
        var badEmotion = c.File("AudioWAV/1003_IEO_BOR_LO.wav");
        var badSentence = c.File("AudioWAV/1003_ABC_HAP_LO.wav");
        var empty = c.File("AudioWAV/1076_MTI_SAD_XX.wav", empty: true);
        c.Text("VideoDemographics.csv", "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n");
        var cat = CremaDCatalog.Read(c.Root);

        Assert.Equal(5, cat.Items.Count);
        Assert.Equal(3, cat.Skipped.Count);
        Assert.Contains("BOR", cat.Skipped.Single(s => s.Path == badEmotion).Reason);
        Assert.Contains("ABC", cat.Skipped.Single(s => s.Path == badSentence).Reason);
        Assert.Equal("empty file", cat.Skipped.Single(s => s.Path == empty).Reason);
        var w = cat.Items.Single(i => i.Path == wav);
        Assert.Equal(("anger", "1001", Sex.Male, "51", "unspecified"), (w.Label.Name, w.Speaker, w.Sex!.Value, w.Field("age"), w.Field("level")));
        Assert.Equal(flv, w.PairedVideo);
        Assert.Equal(Modality.AudioVideo, cat.Items.Single(i => i.Path == flv).Modality);
        Assert.Equal(3, cat.Items.Count(i => i.RecordingId == w.RecordingId)); // wav, mp3 and flv of one clip
        Assert.Equal(Sex.Female, cat.Items.Single(i => i.Speaker == "1002").Sex);
        Assert.Null(cat.Items.Single(i => i.Speaker == "1003").Sex); // not in the table
        Assert.Equal("high", cat.Items.Single(i => i.Speaker == "1002").Field("level"));
    }

    [Fact]
    public void EmoDbReadsSpeakerTextEmotionAndVersion()
    {
        using var c = new TempCorpus();
        var a = c.File("wav/03a01Fa.wav");
        var b = c.File("wav/16b10Lb.wav");
        var bad = c.File("wav/03a01Xa.wav");
        var odd = c.File("wav/3a01Fa.wav");
        c.File("lablaut/03a01Fa.lablaut"); // transcription beside wav/: not part of the clip catalogue
        var cat = EmoDbCatalog.Read(c.Root);
        Assert.Equal(2, cat.Skipped.Count);

        Assert.Equal(2, cat.Items.Count);
        var x = cat.Items.Single(i => i.Path == a);
        Assert.Equal(("happiness", "03", Sex.Male, "a01", "a"), (x.Label.Name, x.Speaker, x.Sex!.Value, x.Field("text"), x.Field("version")));
        var y = cat.Items.Single(i => i.Path == b);
        Assert.Equal(("boredom", "16", Sex.Female), (y.Label.Name, y.Speaker, y.Sex!.Value));
        Assert.Contains("letter X", cat.Skipped.Single(s => s.Path == bad).Reason);
        Assert.Contains("does not match EMO-DB", cat.Skipped.Single(s => s.Path == odd).Reason);
        var basic = cat.Relabel(LabelMaps.EmoDbToBasic6);
        Assert.Single(basic.Items);
        Assert.Contains("boredom", basic.Skipped.Single(s => s.Path == b).Reason);
    }

    [Fact]
    public void FerFolderLayoutUsesFolderNamesAsClassesAndUsage()
    {
        using var c = new TempCorpus();
        c.File("train/happy/Training_1.jpg");
        c.File("train/neutral/Training_2.jpg");
        var t = c.File("test/surprise/PublicTest_3.jpg");
        var odd = c.File("train/contempt/x.jpg");
        var notImage = c.File("train/happy/readme.txt");
        var loose = c.File("train/y.jpg");
        var cat = Fer2013Catalog.Read(c.Root);

        Assert.Equal(3, cat.Items.Count);
        Assert.Equal("surprise", cat.Items.Single(i => i.Path == t).Label.Name);
        Assert.Equal("test", cat.Items.Single(i => i.Path == t).Field("usage"));
        Assert.All(cat.Items, i => Assert.Null(i.Speaker));
        Assert.Contains("'contempt' is not a FER2013 class", cat.Skipped.Single(s => s.Path == odd).Reason);
        Assert.Contains("does not match an image", cat.Skipped.Single(s => s.Path == notImage).Reason);
        Assert.Contains("not at <split>/<class>/<image>", cat.Skipped.Single(s => s.Path == loose).Reason);
        Assert.Equal(Fer2013Catalog.DatasetName, DatasetReader.Detect(c.Root));
    }

    [Fact]
    public void FerCsvHasOneItemPerGoodRowAndReportsBadRows()
    {
        using var c = new TempCorpus();
        string pixels = string.Join(' ', Enumerable.Range(0, 48 * 48).Select(i => i % 256));
        var csv = c.Text("fer2013.csv", $"emotion,pixels,Usage\n0,{pixels},Training\n6,{pixels},PrivateTest\n3,{pixels},PublicTest\n7,{pixels},Training\n2,1 2 3,Training\n1,{pixels},Other\n");
        var cat = DatasetReader.Open(c.Root);

        Assert.Equal("fer2013", cat.Dataset);
        Assert.Equal(3, cat.Items.Count);
        Assert.Equal(["angry", "neutral", "happy"], cat.Items.OrderBy(i => int.Parse(i.Field("row")!)).Select(i => i.Label.Name));
        Assert.Equal(["train", "test", "validation"], cat.Items.OrderBy(i => int.Parse(i.Field("row")!)).Select(i => i.Field("usage")!));
        Assert.Equal(3, cat.Skipped.Count);
        Assert.Contains("line 5: emotion '7'", cat.Skipped.Single(s => s.Path == csv + "#4").Reason);
        Assert.Contains("3 pixels, expected 2304", cat.Skipped.Single(s => s.Path == csv + "#5").Reason);
        Assert.Contains("Usage 'Other'", cat.Skipped.Single(s => s.Path == csv + "#6").Reason);
        var buffer = new byte[48 * 48];
        Assert.Equal(2304, Fer2013Catalog.ParsePixels(pixels, buffer));
        Assert.Equal(255, buffer[255]);
        Assert.Equal(-1, Fer2013Catalog.ParsePixels("1 256", buffer));
    }

    [Fact]
    public void ManifestCatalogReadsAnyCorpus()
    {
        using var c = new TempCorpus();
        c.File("clips/s1_an_01.avi");
        c.File("clips/s1_ha_01.avi");
        c.File("clips/s2_fe_01.avi");
        c.File("clips/s2_sa_01.avi", empty: true);
        var m = c.Text("manifest.csv",
            "path,label,speaker,sex,split\n" +
            "clips/s1_an_01.avi,anger,s1,f,train\n" +
            "clips/s1_ha_01.avi,happiness,s1,F,train\n" +
            "clips/s2_fe_01.avi,fear,s2,male,test\n" +
            "clips/s2_sa_01.avi,sadness,s2,m,test\n" +
            "clips/missing.avi,anger,s3,m,test\n" +
            "\"clips/s1,odd.avi\",anger,s1,f,train\n");
        var cat = DatasetReader.Open(c.Root);

        Assert.Equal("manifest", cat.Dataset);
        Assert.Equal(LabelSpaces.Basic6, cat.Labels); // every label is one of the six basic emotions
        Assert.Equal(3, cat.Items.Count);
        Assert.Equal(3, cat.Skipped.Count);
        Assert.Contains("empty file", cat.Skipped.Single(s => s.Path.EndsWith("s2_sa_01.avi")).Reason);
        Assert.Contains("does not exist", cat.Skipped.Single(s => s.Path.EndsWith("missing.avi")).Reason);
        Assert.Contains("s1,odd.avi", cat.Skipped[0].Path + cat.Skipped[1].Path + cat.Skipped[2].Path);
        var fear = cat.Items.Single(i => i.Label.Name == "fear");
        Assert.Equal(("s2", Sex.Male, "test", Modality.AudioVideo), (fear.Speaker, fear.Sex!.Value, fear.Field("split"), fear.Modality));
        var custom = ManifestCatalog.Read(m, new LabelSpace("two", ["anger", "fear"]));
        Assert.Equal(2, custom.Items.Count);
        Assert.Contains(custom.Skipped, s => s.Reason.Contains("label 'happiness' is not in two"));
        Assert.Equal("manifest", ManifestCatalog.InferSpace(["x", "b"]).Name);
        Assert.Equal(["b", "x"], ManifestCatalog.InferSpace(["x", "b"]).Names);
    }

    [Fact]
    public void DetectionNamesTheCorpusOrRefusesAMix()
    {
        using var c = new TempCorpus();
        c.File("r/Actor_01/03-01-01-01-01-01-01.wav");
        c.File("d/1001_DFA_ANG_XX.flv");
        c.File("e/wav/03a01Fa.wav");
        Assert.Equal("ravdess", DatasetReader.Detect(c.Path_("r")));
        Assert.Equal("crema-d", DatasetReader.Detect(c.Path_("d")));
        Assert.Equal("emo-db", DatasetReader.Detect(c.Path_("e")));
        var e = Assert.Throws<DatasetException>(() => DatasetReader.Detect(c.Root));
        Assert.Contains("several corpora", e.Message);
        Assert.Throws<DatasetException>(() => DatasetReader.Open(c.Path_("nowhere")));
        c.File("empty/readme.txt");
        Assert.Contains("no RAVDESS", Assert.Throws<DatasetException>(() => DatasetReader.Detect(c.Path_("empty"))).Message);
    }

    [Fact]
    public void RelabelDropsUnmappedItemsExplicitly()
    {
        using var c = new TempCorpus();
        c.File("03-01-01-01-01-01-01.wav"); // neutral
        c.File("03-01-02-01-01-01-01.wav"); // calm
        c.File("03-01-05-01-01-01-01.wav"); // angry
        var cat = RavdessCatalog.Read(c.Root).Relabel(LabelMaps.RavdessToFer7);
        Assert.Equal(LabelSpaces.Fer7, cat.Labels);
        Assert.Equal(["angry", "neutral"], cat.Items.Select(i => i.Label.Name).Order());
        var dropped = Assert.Single(cat.Skipped);
        Assert.Equal("label 'calm' has no counterpart in fer7 (map ravdess8->fer7)", dropped.Reason);
        Assert.Throws<ArgumentException>(() => cat.Relabel(LabelMaps.RavdessToBasic6));
    }
}
