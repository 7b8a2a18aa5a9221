namespace Aver.Data.Catalogs;

/// <summary>Links each audio-only item to a video of the same take (same recording id).</summary>
public static class VideoPairing
{
    /// <summary>Points each audio-only item at the audio-video (preferred) or video-only file of its take.</summary>
    public static IEnumerable<CatalogItem> Pair(List<CatalogItem> items)
    {
        var video = new Dictionary<string, CatalogItem>(StringComparer.Ordinal);
        foreach (var i in items)
            if (i.Modality != Modality.Audio && (!video.TryGetValue(i.RecordingId, out var v) || (v.Modality == Modality.Video && i.Modality == Modality.AudioVideo)))
                video[i.RecordingId] = i;
        foreach (var i in items)
            yield return i.Modality == Modality.Audio && video.TryGetValue(i.RecordingId, out var v) ? i with { PairedVideo = v.Path } : i;
    }
}
