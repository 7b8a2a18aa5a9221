namespace Aver.Media.Drawing;

/// <summary>Where text sits relative to its anchor point.</summary>
public enum Align { Start, Center, End }
