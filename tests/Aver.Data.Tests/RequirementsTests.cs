namespace Aver.Data.Tests;

/// <summary>The one skip rule of the test suites (tests/Shared/Requires.cs): the first unmet need is the message.</summary>
public class RequirementsTests
{
    [Fact]
    public void Unmet_needs_are_named_and_met_ones_run()
    {
        Assert.Null(Requirements.Missing(0));
        if (Environment.GetEnvironmentVariable("AVER_FEATURE_THROUGHPUT") != "1")
            Assert.Equal("set AVER_FEATURE_THROUGHPUT=1 to measure", Requirements.Missing(Need.ThroughputRun | Need.SharedData));
        Assert.Equal(TestPaths.SharedData is null, Requirements.Missing(Need.SharedData) is not null);
        Assert.Equal(Aver.Media.BlazeFaceModelFile.Find() is null, Requirements.Missing(Need.BlazeFace) is not null);
    }
}
