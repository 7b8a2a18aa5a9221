namespace Aver.Tensors.IO;

/// <summary>A safetensors file that is corrupt, truncated, or does not match what was asked of it; the message names the file and tensor.</summary>
public sealed class SafeTensorsException(string message, Exception? inner = null) : IOException(message, inner);
