namespace Aver.Models.Calibration;

/// <summary>A branch's decision-fusion settings: its softmax temperature and its weight in the average, both chosen on validation data.</summary>
public sealed record BranchCalibration(double Temperature, double Weight)
{
    /// <summary>Throws naming <paramref name="branch"/> when a value is out of range.</summary>
    public void Validate(string branch)
    {
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new InvalidDataException($"{branch} branch: temperature must be a positive number, got {Temperature}");
        if (!(Weight >= 0) || !double.IsFinite(Weight)) throw new InvalidDataException($"{branch} branch: fusion weight must be a non-negative number, got {Weight}");
    }
}
