using System.Globalization;

namespace DrDam.ML.Samples.Commands;

/// <summary>Which pixels of an image are hidden: <c>bottom:F</c> (the bottom fraction of rows) or <c>random:F</c> (a seeded random fraction).</summary>
public sealed record Occlusion(string Kind, double Fraction)
{
    /// <summary>Parses <c>bottom:0.5</c> or <c>random:0.4</c>.</summary>
    public static Occlusion Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || parts[0] is not ("bottom" or "random")
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || fraction is < 0 or > 1)
            throw new ArgumentException($"--occlude must be bottom:F or random:F with F in [0, 1] (got '{text}').");
        return new Occlusion(parts[0], fraction);
    }

    /// <summary>Fills <paramref name="hidden"/> (one image, row-major height×width) with true where a pixel is occluded.</summary>
    public void Apply(int height, int width, Random random, Span<bool> hidden)
    {
        var firstHiddenRow = (int)Math.Round(height * (1 - Fraction));
        for (var i = 0; i < hidden.Length; i++)
            hidden[i] = Kind == "bottom" ? i / width >= firstHiddenRow : random.NextDouble() < Fraction;
    }
}
