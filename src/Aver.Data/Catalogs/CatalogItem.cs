using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>What a catalog item carries: sound, picture, both, or a still image.</summary>
public enum Modality { Audio, Video, AudioVideo, Image }

/// <summary>A speaker's sex, when the corpus records it.</summary>
public enum Sex { Male, Female }

/// <summary>
/// One file (or one row of a table such as fer2013.csv) of a corpus.
/// </summary>
/// <param name="Path">Full path of the file; for a table row, the table's path and "#row" index.</param>
/// <param name="Modality">Audio, video, audio-video or image.</param>
/// <param name="Label">The emotion, a value of the catalog's label space.</param>
/// <param name="Speaker">Speaker (actor) id as the corpus writes it, or null when unknown (FER2013).</param>
/// <param name="Sex">Speaker sex when known.</param>
/// <param name="RecordingId">Identifies the take: files that share it (RAVDESS `01-`/`03-` twins, CREMA-D wav/mp3/flv of one clip) must sit on the same side of every split.</param>
/// <param name="Fields">Corpus-specific fields (intensity, statement, level, usage...), ordered by name.</param>
/// <param name="PairedVideo">For an audio-only item, the video of the same take when present (RAVDESS `01-`/`02-`, CREMA-D flv).</param>
public sealed record CatalogItem(
    string Path,
    Modality Modality,
    Label Label,
    string? Speaker,
    Sex? Sex,
    string RecordingId,
    IReadOnlyDictionary<string, string> Fields,
    string? PairedVideo = null)
{
    /// <summary>A corpus-specific field, or null.</summary>
    public string? Field(string name) => Fields.TryGetValue(name, out var v) ? v : null;
}

/// <summary>A file a catalog did not take, and why (never dropped silently).</summary>
public sealed record SkippedFile(string Path, string Reason);
