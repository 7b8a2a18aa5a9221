namespace Aver.Media;

/// <summary>
/// MediaPipe's SSD anchor generation (ssd_anchors_calculator) for the BlazeFace front model: input
/// 128x128, strides 8, 16, 16, 16, one aspect ratio plus the interpolated scale, fixed anchor size.
/// Consecutive layers of equal stride share one grid, so stride 8 gives a 16x16 grid with 2 anchors per
/// cell and the three stride-16 layers an 8x8 grid with 6: 512 + 384 = 896 anchor centres, cell by cell
/// (row-major), the anchors of a cell adjacent, matching the model's output order. With a fixed anchor
/// size every anchor is 1x1 in normalised units, so only the centres matter.
/// </summary>
public static class SsdAnchors
{
    /// <summary>The 896 anchor centres of the 128x128 front model, normalised to [0, 1].</summary>
    public static readonly FacePoint[] Front128 = Generate(128, [8, 16, 16, 16], anchorsPerLayer: 2, offset: 0.5f);

    /// <summary>Anchor centres for an input of <paramref name="size"/> px; each layer adds <paramref name="anchorsPerLayer"/> anchors per cell of its stride's grid.</summary>
    public static FacePoint[] Generate(int size, int[] strides, int anchorsPerLayer, float offset)
    {
        var anchors = new List<FacePoint>();
        for (int layer = 0; layer < strides.Length;)
        {
            int stride = strides[layer], perCell = 0;
            for (; layer < strides.Length && strides[layer] == stride; layer++) perCell += anchorsPerLayer;
            int cells = (size + stride - 1) / stride;
            for (int y = 0; y < cells; y++)
                for (int x = 0; x < cells; x++)
                    for (int a = 0; a < perCell; a++)
                        anchors.Add(new FacePoint((x + offset) / cells, (y + offset) / cells));
        }
        return anchors.ToArray();
    }
}
