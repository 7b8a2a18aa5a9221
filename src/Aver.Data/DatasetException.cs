namespace Aver.Data;

/// <summary>
/// A corpus folder, table, manifest or split that cannot be used as asked; the message names the
/// file and the problem. An <see cref="IOException"/>, so the CLI reports it as a data failure (exit 1).
/// </summary>
public class DatasetException(string message, Exception? inner = null) : IOException(message, inner);
