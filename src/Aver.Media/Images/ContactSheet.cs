namespace Aver.Media;

/// <summary>A grid of pictures in one image, for a person to check face crops at a glance.</summary>
public static class ContactSheet
{
    /// <summary>
    /// Places <paramref name="tiles"/> row by row, <paramref name="columns"/> per row, each resized
    /// (bilinear) to <paramref name="tileWidth"/> × <paramref name="tileHeight"/> with
    /// <paramref name="gap"/> background pixels between and around them. Gray tiles are shown as RGB.
    /// </summary>
    public static Image Compose(IReadOnlyList<Image> tiles, int columns, int tileWidth, int tileHeight, int gap = 2, byte background = 32)
    {
        if (tiles.Count == 0) throw new ArgumentException("a contact sheet needs at least one image", nameof(tiles));
        if (columns <= 0 || tileWidth <= 0 || tileHeight <= 0 || gap < 0)
            throw new ArgumentOutOfRangeException(nameof(columns), $"columns {columns}, tile {tileWidth}x{tileHeight}, gap {gap}: all must be positive (gap may be 0)");
        columns = Math.Min(columns, tiles.Count);
        int rows = (tiles.Count + columns - 1) / columns;
        var sheet = Image.Blank(gap + columns * (tileWidth + gap), gap + rows * (tileHeight + gap), ImageColor.Rgb, background);
        for (int i = 0; i < tiles.Count; i++)
        {
            var t = tiles[i];
            if (t.Width != tileWidth || t.Height != tileHeight) t = t.Resize(tileWidth, tileHeight);
            sheet.Paste(t, gap + (i % columns) * (tileWidth + gap), gap + (i / columns) * (tileHeight + gap));
        }
        return sheet;
    }
}
