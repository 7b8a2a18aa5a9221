namespace Aver.Media;

/// <summary>A point in pixels of the frame (x right, y down).</summary>
public readonly record struct FacePoint(float X, float Y)
{
    public static FacePoint operator +(FacePoint a, FacePoint b) => new(a.X + b.X, a.Y + b.Y);
    public static FacePoint operator -(FacePoint a, FacePoint b) => new(a.X - b.X, a.Y - b.Y);
    public static FacePoint operator *(FacePoint a, float s) => new(a.X * s, a.Y * s);
    public float Length => MathF.Sqrt(X * X + Y * Y);
    public static FacePoint Midpoint(FacePoint a, FacePoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);
}

/// <summary>An axis-aligned box in pixels: top-left corner and size.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public FacePoint Center => new(X + Width / 2, Y + Height / 2);
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public static FaceBox FromCenter(FacePoint c, float width, float height) => new(c.X - width / 2, c.Y - height / 2, width, height);

    /// <summary>Intersection over union, 0 for disjoint boxes.</summary>
    public float IoU(FaceBox o)
    {
        float w = Math.Min(Right, o.Right) - Math.Max(X, o.X), h = Math.Min(Bottom, o.Bottom) - Math.Max(Y, o.Y);
        if (w <= 0 || h <= 0) return 0;
        float inter = w * h;
        return inter / (Area + o.Area - inter);
    }
}

/// <summary>The six BlazeFace key points, in MediaPipe's order (the subject's right eye is on the image's left).</summary>
public enum FaceKeyPoint { RightEye = 0, LeftEye = 1, Nose = 2, Mouth = 3, RightEar = 4, LeftEar = 5 }

/// <summary>One face found in one frame: box and six key points in frame pixels, and the detector's score in [0, 1].</summary>
public sealed record FaceDetection(FaceBox Box, FacePoint[] KeyPoints, float Score)
{
    public FacePoint this[FaceKeyPoint k] => KeyPoints[(int)k];
    public FacePoint RightEye => KeyPoints[0];
    public FacePoint LeftEye => KeyPoints[1];
    public FacePoint Nose => KeyPoints[2];
    public FacePoint Mouth => KeyPoints[3];

    /// <summary>The angle of the eye line in radians (0 when the eyes are level; positive when the left eye, image right, is lower).</summary>
    public float EyeAngle => MathF.Atan2(LeftEye.Y - RightEye.Y, LeftEye.X - RightEye.X);
}
