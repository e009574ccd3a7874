using SkiaSharp;

namespace DrDam.ML.Samples.Rendering;

/// <summary>
/// A typeface for labels. SkiaSharp's dependency-free native build cannot ask fontconfig, so the
/// usual system font files are tried directly; without any, PNGs are drawn without text.
/// </summary>
internal static class Fonts
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ];

    public static SKTypeface? Sans { get; } = Candidates.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t is not null);

    public static void Draw(SKCanvas canvas, string text, float x, float y, float size, SKColor color, SKTextAlign align = SKTextAlign.Left)
    {
        if (Sans is null)
            return;
        using var paint = new SKPaint { Color = color, IsAntialias = true, Typeface = Sans, TextSize = size, TextAlign = align };
        canvas.DrawText(text, x, y, paint);
    }
}
