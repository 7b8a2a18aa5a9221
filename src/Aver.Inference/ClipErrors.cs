namespace Aver.Inference;

/// <summary>Which exceptions of <see cref="IClipModel.Predict"/> are a problem of the clip (reported in one line, the next clip still runs) rather than a bug.</summary>
public static class ClipErrors
{
    /// <summary>True for unreadable, non-media, truncated or otherwise unusable input; its message names the file and the problem.</summary>
    public static bool IsClipProblem(Exception e) =>
        e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or FormatException
            or Aver.Media.MediaException or Aver.Tensors.Onnx.OnnxException;
}
