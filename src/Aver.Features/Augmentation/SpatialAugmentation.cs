using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// MRPN's spatial augmentation of face frames (§4.4 item 1, Figure 8) on float face volumes [T, C, H, W]
/// (the layout the visual branch eats; convert <c>Aver.Media.Image</c> crops with <c>ToTensor</c> and stack).
/// <see cref="SameForClip"/> draws one <see cref="SpatialTransform"/> for every frame of a clip (the paper's
/// choice, Figure 8 middle); <see cref="PerFrame"/> draws one per frame (Figure 8 bottom). Deterministic
/// from the <see cref="RandomStream"/>; frames are processed in parallel.
/// </summary>
public static class SpatialAugmentation
{
    /// <summary>One random transform applied to every frame of <paramref name="frames"/> [T, C, H, W].</summary>
    public static Tensor SameForClip(Tensor frames, RandomStream rng, SpatialAugmentationOptions? options = null)
    {
        var o = options ?? new SpatialAugmentationOptions();
        o.Validate();
        return Apply(frames, SpatialTransform.Sample(o, rng));
    }

    /// <summary>An independent random transform for each frame of <paramref name="frames"/> [T, C, H, W], drawn in frame order.</summary>
    public static Tensor PerFrame(Tensor frames, RandomStream rng, SpatialAugmentationOptions? options = null)
    {
        var o = options ?? new SpatialAugmentationOptions();
        o.Validate();
        var transforms = new SpatialTransform[CheckShape(frames)];
        for (int t = 0; t < transforms.Length; t++) transforms[t] = SpatialTransform.Sample(o, rng);
        return Apply(frames, transforms);
    }

    /// <summary><paramref name="transform"/> applied to every frame of <paramref name="frames"/> [T, C, H, W]; a new tensor.</summary>
    public static Tensor Apply(Tensor frames, SpatialTransform transform)
    {
        var transforms = new SpatialTransform[CheckShape(frames)];
        Array.Fill(transforms, transform);
        return Apply(frames, transforms);
    }

    /// <summary>Frame t of <paramref name="frames"/> [T, C, H, W] through <paramref name="transforms"/>[t]; a new tensor.</summary>
    public static Tensor Apply(Tensor frames, IReadOnlyList<SpatialTransform> transforms)
    {
        int count = CheckShape(frames);
        if (transforms.Count != count) throw new ArgumentException($"SpatialAugmentation: {transforms.Count} transforms for {count} frames", nameof(transforms));
        int c = frames.Dim(1), h = frames.Dim(2), w = frames.Dim(3), size = c * h * w;
        var output = new Tensor(count, c, h, w);
        var src = frames.Data;
        Engine.For(count, t => transforms[t].Apply(src.AsSpan(t * size, size), output.Data.AsSpan(t * size, size), c, h, w));
        return output;
    }

    private static int CheckShape(Tensor frames) =>
        frames.Rank == 4 ? frames.Dim(0) : throw new ShapeException($"SpatialAugmentation: frames {ShapeMath.Format(frames.Shape)} must be [T, C, H, W]");
}
