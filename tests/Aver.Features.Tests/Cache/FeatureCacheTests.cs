using Aver.Features.Avef;
using Aver.Features.Cache;
using Aver.Features.Mrpn;
using Aver.Media;

namespace Aver.Features.Tests.Cache;

public sealed class FeatureCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-features-cache-" + Guid.NewGuid().ToString("N"));
    private string CacheDir => Path.Combine(_dir, "cache");

    public FeatureCacheTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } }

    private string WriteClip(string name, ulong seed, double seconds = 1.5)
    {
        var path = Path.Combine(_dir, name);
        Wav.Write(path, Signals.Bursts(seed, seconds, (0.4, 1.0)), WavSampleFormat.Float32);
        return path;
    }

    [Fact]
    public void Mrpn_SecondCallHitsAndReturnsTheSameFeatures()
    {
        var clip = WriteClip("a.wav", 1);
        var cache = new FeatureCache(CacheDir);
        var first = cache.Mrpn(clip);
        var second = cache.Mrpn(clip);
        Assert.Equal((1, 1), (cache.Misses, cache.Hits));
        Assert.Equal(first.Spectrograms.Data, second.Spectrograms.Data);
        Assert.Equal(first.Times, second.Times);
        Assert.Equal(MrpnAudio.Compute(Wav.ReadMono(clip)).Spectrograms.Data, second.Spectrograms.Data);
    }

    [Fact]
    public void Avef_AndVad_RoundTripThroughTheCache()
    {
        var clip = WriteClip("b.wav", 2, 2.0);
        var cache = new FeatureCache(CacheDir);
        var computed = cache.Avef(clip);
        var loaded = new FeatureCache(CacheDir).Avef(clip);
        Assert.Equal(computed.Stacks.Data, loaded.Stacks.Data);
        Assert.Equal(computed.FirstFrames, loaded.FirstFrames);
        Assert.Equal(computed.Times, loaded.Times);
        var vad = cache.Vad(clip);
        Assert.Equal(vad, new FeatureCache(CacheDir).Vad(clip));
        Assert.Contains((byte)1, vad);
    }

    [Fact]
    public void Key_ChangesWithEveryParameterAndWithContentButNotWithTheName()
    {
        var clip = WriteClip("c.wav", 3);
        var cache = new FeatureCache(CacheDir);
        cache.Avef(clip);
        cache.Avef(clip, new AvefAudioOptions { OverlapFrames = 20 });
        cache.Avef(clip, new AvefAudioOptions { LogOffset = 0.001f });
        Assert.Equal(3, cache.Misses);
        var renamed = Path.Combine(_dir, "renamed.wav");
        File.Copy(clip, renamed);
        cache.Avef(renamed);
        Assert.Equal(1, cache.Hits);
        WriteClip("renamed.wav", 4); // new content under the same name
        cache.Avef(renamed);
        Assert.Equal(4, cache.Misses);
    }

    [Fact]
    public void CorruptOrTruncatedEntryIsRecomputed()
    {
        var clip = WriteClip("d.wav", 5);
        var cache = new FeatureCache(CacheDir);
        var good = cache.Mrpn(clip);
        var entry = Directory.GetFiles(CacheDir, "*.safetensors", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(entry);
        File.WriteAllBytes(entry, bytes[..(bytes.Length / 2)]); // a run killed mid-copy by something else
        // a temporary file of a killed writer sits beside it
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(entry)!, "." + Path.GetFileName(entry) + ".123.tmp"), bytes[..100]);
        var again = new FeatureCache(CacheDir);
        Assert.Equal(good.Spectrograms.Data, again.Mrpn(clip).Spectrograms.Data);
        Assert.Equal(1, again.Misses);
        Assert.Equal(good.Spectrograms.Data, new FeatureCache(CacheDir).Mrpn(clip).Spectrograms.Data);
    }

    [Fact]
    public void TwoRunsSharingTheFolderAgree()
    {
        var clips = Enumerable.Range(0, 4).Select(i => WriteClip($"p{i}.wav", 10 + (ulong)i)).ToArray();
        var results = new AvefAudioSegments[2][];
        Parallel.For(0, 2, run =>
        {
            var cache = new FeatureCache(CacheDir);
            results[run] = clips.Select(c => cache.Avef(c)).ToArray();
        });
        for (int i = 0; i < clips.Length; i++) Assert.Equal(results[0][i].Stacks.Data, results[1][i].Stacks.Data);
        Assert.Equal(clips.Length, Directory.GetFiles(CacheDir, "*.safetensors", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(CacheDir, "*.tmp", SearchOption.AllDirectories));
    }
}
