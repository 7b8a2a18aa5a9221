using Aver.Inference;

namespace Aver.Server;

/// <summary>The query options of <c>/v1/predict</c>, checked as the CLI checks the same options.</summary>
public static class Query
{
    /// <summary><c>only=audio|visual</c> and <c>timeline=true|false</c> as prediction options; 400 naming a bad value.</summary>
    public static PredictionOptions Options(IQueryCollection query, out bool timeline)
    {
        timeline = query["timeline"].ToString() switch
        {
            "" or "true" or "1" => true,
            "false" or "0" => false,
            var t => throw new ApiError(StatusCodes.Status400BadRequest, $"timeline takes true or false, got '{t}'"),
        };
        return new PredictionOptions
        {
            Only = query["only"].ToString() switch
            {
                "" => null,
                var b when b is "audio" or "visual" => new HashSet<string> { b },
                var b => throw new ApiError(StatusCodes.Status400BadRequest, $"only takes audio or visual, got '{b}'"),
            },
        };
    }
}
