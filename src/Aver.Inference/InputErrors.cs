namespace Aver.Inference;

/// <summary>
/// Which exceptions are a problem of the input — a clip, a model file, an argument — rather than a bug: the CLI prints
/// them as one line with exit code 1 (and goes on to the next clip), the server answers them with the same line.
/// </summary>
public static class InputErrors
{
    /// <summary>True for unreadable, non-media, truncated or otherwise unusable input; its message names the file and the problem.</summary>
    public static bool IsInputProblem(Exception e) =>
        e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or FormatException
            or Aver.Media.MediaException or Aver.Tensors.Onnx.OnnxException;
}
