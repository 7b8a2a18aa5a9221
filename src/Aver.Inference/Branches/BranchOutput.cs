namespace Aver.Inference.Branches;

/// <summary>
/// What one branch computed for a clip: its status, calibrated clip-level probabilities, and per timeline window
/// the probabilities of the steps that fall in it (null where none does).
/// </summary>
public sealed record BranchOutput(string Name, BranchStatus Status, ClassProbabilities? Clip, ClassProbabilities?[] Windows, int Steps, double Duration, string? Message)
{
    /// <summary>A branch that produced nothing, with the reason.</summary>
    public static BranchOutput Without(string name, BranchStatus status, int windows, string message) =>
        new(name, status, null, new ClassProbabilities?[windows], 0, 0, message);
}
