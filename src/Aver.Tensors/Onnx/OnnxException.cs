namespace Aver.Tensors.Onnx;

/// <summary>
/// An ONNX model that cannot be read or run: a corrupt file, an operator or attribute Aver does not
/// implement, or a value of the wrong type. The message names the model file and the node or tensor.
/// </summary>
public sealed class OnnxException(string message, Exception? inner = null) : Exception(message, inner);
