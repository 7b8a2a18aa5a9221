namespace Aver.Tensors;

/// <summary>Thrown when an op receives tensors whose shapes it cannot combine; the message names the op and the shapes.</summary>
public sealed class ShapeException(string message) : ArgumentException(message);
