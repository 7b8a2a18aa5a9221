using Aver.Tensors;

namespace Aver.Media.Tests.Faces;

/// <summary>
/// BlazeFace through Aver's ONNX importer against onnxruntime (tools/reference/blazeface_ort.mjs) on three
/// real frames (two RAVDESS, one CREMA-D), and the decoded detections on those frames.
/// </summary>
public class BlazeFaceReferenceTests
{
    private static (Tensor Input, Image Square, SafeTensorsFixture F) LoadFrame(int n)
    {
        var f = Fixture.Load($"faces/blazeface_{n}.safetensors");
        var px = f.Tensors["pixels"].Data;
        var bytes = new byte[px.Length];
        for (int i = 0; i < px.Length; i++) bytes[i] = (byte)px[i];
        var input = new float[px.Length];
        BlazeFace.Normalise(bytes, input);
        return (new Tensor(input, 1, 128, 128, 3), new Image(128, 128, 3, bytes), new SafeTensorsFixture(f.Tensors, f.Metadata));
    }

    internal sealed record SafeTensorsFixture(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);

    [FactRequires(Need.BlazeFace)]
    public void RawOutputsMatchOnnxRuntime()
    {
        foreach (int n in new[] { 0, 1, 2 })
        {
            var (input, _, f) = LoadFrame(n);
            var (scores, boxes) = SharedBlazeFace.Instance.RunRaw(input);
            Fixture.AssertClose(f.Tensors["scores"].Data, scores.Data, $"frame {n} score logits", rtol: 1e-3f, atol: 1e-3f);
            var top = f.Tensors["top_anchors"].Data;
            var expected = f.Tensors["top_boxes"].Data;
            var actual = new float[expected.Length];
            for (int k = 0; k < top.Length; k++)
                boxes.Data.AsSpan((int)top[k] * 16, 16).CopyTo(actual.AsSpan(k * 16));
            Fixture.AssertClose(expected, actual, $"frame {n} regressors of the 32 best anchors", rtol: 1e-3f, atol: 2e-3f);
        }
    }

    [FactRequires(Need.BlazeFace)]
    public void BatchOfThreeEqualsOneAtATime()
    {
        var frames = new[] { 0, 1, 2 }.Select(n => LoadFrame(n).Input).ToArray();
        var (batchScores, batchBoxes) = SharedBlazeFace.Instance.RunRaw(Tensor.Concat(frames, 0));
        Assert.Equal([3, 896], batchScores.Shape.ToArray());
        Assert.Equal([3, 896, 16], batchBoxes.Shape.ToArray());
        // Batching changes how the matrix products split their sums (OpenBLAS picks kernels and
        // blocking by size and CPU: AVX2 machines differ from AVX-512 ones), so agreement is to
        // float rounding of a deep network, not bit for bit.
        for (int n = 0; n < 3; n++)
        {
            var (s, b) = SharedBlazeFace.Instance.RunRaw(frames[n]);
            Fixture.AssertClose(s.Data, batchScores.Data.AsSpan(n * 896, 896), $"batched scores of frame {n}", 1e-4f, 1e-4f);
            Fixture.AssertClose(b.Data, batchBoxes.Data.AsSpan(n * 896 * 16, 896 * 16), $"batched boxes of frame {n}", 1e-4f, 1e-4f);
        }
    }

    [FactRequires(Need.BlazeFace)]
    public void DecodesOneUprightFacePerFrame()
    {
        foreach (int n in new[] { 0, 1, 2 })
        {
            var (_, square, f) = LoadFrame(n);
            var faces = SharedBlazeFace.Instance.Detect(square);
            var clip = f.Metadata["clip"];
            Assert.True(faces.Count == 1, $"{clip}: {faces.Count} faces");
            var d = faces[0];
            Assert.InRange(d.Score, 0.9f, 1f);
            // The frame is letterboxed into the square, so the face lies inside the picture band.
            Assert.True(d.Box.Width is > 10 and < 128 && d.Box.Height is > 10 and < 128, $"{clip}: box {d.Box}");
            Assert.True(d.RightEye.X < d.LeftEye.X, $"{clip}: the subject's right eye is on the image's left");
            Assert.True(d.RightEye.Y < d.Mouth.Y && d.LeftEye.Y < d.Mouth.Y && d.Nose.Y < d.Mouth.Y, $"{clip}: eyes and nose above the mouth");
            Assert.InRange(d.Nose.X, d.RightEye.X, d.LeftEye.X);
            foreach (var p in d.KeyPoints[..4])
                Assert.True(p.X > d.Box.X && p.X < d.Box.Right && p.Y > d.Box.Y && p.Y < d.Box.Bottom, $"{clip}: key point {p} outside box {d.Box}");
        }
    }
}
