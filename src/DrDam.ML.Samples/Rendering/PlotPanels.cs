using SkiaSharp;

namespace DrDam.ML.Samples.Rendering;

/// <summary>Several <see cref="LinePlot"/>s side by side in one PNG (the paper's multi-panel figures).</summary>
internal static class PlotPanels
{
    public static void Save(string path, IReadOnlyList<LinePlot> panels, int panelWidth = 600, int height = 440)
    {
        if (panels.Count == 0)
            throw new ArgumentException("At least one panel is needed.", nameof(panels));
        using var surface = SKSurface.Create(new SKImageInfo(panelWidth * panels.Count, height));
        surface.Canvas.Clear(SKColors.White);
        for (var p = 0; p < panels.Count; p++)
            panels[p].Draw(surface.Canvas, SKRect.Create(p * panelWidth, 0, panelWidth, height));
        Png.Save(surface, path);
    }
}
