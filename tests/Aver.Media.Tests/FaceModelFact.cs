namespace Aver.Media.Tests;

/// <summary>A test that needs the BlazeFace model: skipped, saying how to install it, where setup.sh has not run.</summary>
internal sealed class FaceModelFactAttribute : FactAttribute
{
    public FaceModelFactAttribute()
    {
        if (BlazeFaceModelFile.Find() is null)
            Skip = $"BlazeFace model absent ({BlazeFaceModelFile.RelativePath}): run ./setup.sh to install it";
    }
}

/// <summary>A test that needs the BlazeFace model and ../shared/data.</summary>
internal sealed class FaceRealDataFactAttribute : FactAttribute
{
    public FaceRealDataFactAttribute()
    {
        if (BlazeFaceModelFile.Find() is null)
            Skip = $"BlazeFace model absent ({BlazeFaceModelFile.RelativePath}): run ./setup.sh to install it";
        else if (TestPaths.SharedData is null)
            Skip = "../shared/data is absent (a fresh clone without the shared data): real-data test skipped";
    }
}

/// <summary>A theory that needs the BlazeFace model and ../shared/data.</summary>
internal sealed class FaceRealDataTheoryAttribute : TheoryAttribute
{
    public FaceRealDataTheoryAttribute()
    {
        if (BlazeFaceModelFile.Find() is null)
            Skip = $"BlazeFace model absent ({BlazeFaceModelFile.RelativePath}): run ./setup.sh to install it";
        else if (TestPaths.SharedData is null)
            Skip = "../shared/data is absent (a fresh clone without the shared data): real-data test skipped";
    }
}

/// <summary>One BlazeFace instance for all tests (loading parses the 440 KB model).</summary>
internal static class SharedBlazeFace
{
    private static readonly Lazy<BlazeFace> Model = new(() => BlazeFace.Load());
    public static BlazeFace Instance => Model.Value;
}
