using Aver.Media;

namespace Aver.Cli.Tests;

/// <summary>A test of `aver faces`: skipped, saying why, without the BlazeFace model (./setup.sh) or, when asked, ../shared/data.</summary>
internal sealed class FacesFactAttribute : FactAttribute
{
    public FacesFactAttribute(bool sharedData = false)
    {
        if (BlazeFaceModelFile.Find() is null) Skip = $"BlazeFace model absent ({BlazeFaceModelFile.RelativePath}): run ./setup.sh";
        else if (sharedData && TestPaths.SharedData is null) Skip = "../shared/data is absent: real-data test skipped";
    }
}
