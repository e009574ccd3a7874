namespace DrDam.ML.Transforms;

/// <summary>Which part of a vector an occlusion hides.</summary>
public enum OcclusionKind
{
    /// <summary>The bottom <see cref="OcclusionOptions.Fraction"/> of image rows (of coordinates, for a plain vector).</summary>
    Bottom = 0,
    /// <summary>A seeded random <see cref="OcclusionOptions.Fraction"/> of pixels (every channel of a pixel together), drawn anew for each row.</summary>
    Random = 1,
    /// <summary>The rectangle <see cref="OcclusionOptions.Rectangle"/> (x, y, width, height) of the image.</summary>
    Rectangle = 2,
}

/// <summary>
/// Settings of <c>mlContext.Transforms.AssociativeMemory.Occlude</c>. The vector is read as an image of
/// <see cref="Height"/>×<see cref="Width"/>×<see cref="Channels"/> values, planar (ML.NET's
/// ExtractPixels default: all of channel 0, then channel 1…) or interleaved; with Height = 0 it is one
/// column of D values. Validated when the estimator is created.
/// </summary>
public sealed record OcclusionOptions
{
    /// <summary>What to hide. Default <see cref="OcclusionKind.Bottom"/>.</summary>
    public OcclusionKind Kind { get; init; } = OcclusionKind.Bottom;

    /// <summary>Fraction of rows or pixels hidden, in [0, 1]. Default 0.5.</summary>
    public double Fraction { get; init; } = 0.5;

    /// <summary>Image height; 0 reads the vector as one column. Default 0.</summary>
    public int Height { get; init; }

    /// <summary>Image width. Default 1.</summary>
    public int Width { get; init; } = 1;

    /// <summary>Channels per pixel. Default 1.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Whether channels are interleaved per pixel (RGBRGB…) rather than planar. Default false.</summary>
    public bool Interleaved { get; init; }

    /// <summary>(x, y, width, height) of the hidden rectangle, for <see cref="OcclusionKind.Rectangle"/>.</summary>
    public (int X, int Y, int Width, int Height) Rectangle { get; init; }

    /// <summary>Value written into hidden coordinates. Default 0.</summary>
    public float FillValue { get; init; }

    /// <summary>Seed of the random occlusion; row r always hides the same pixels. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws if a setting is invalid, naming it.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"Kind must be Bottom, Random or Rectangle (got {Kind}).");
        if (!(Fraction >= 0 && Fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(Fraction), Fraction, $"Fraction must lie in [0, 1] (got {Fraction}).");
        if (Height < 0 || Width < 1 || Channels < 1)
            throw new ArgumentOutOfRangeException(nameof(Height), $"Height must be >= 0 and Width, Channels >= 1 (got {Height}×{Width}×{Channels}).");
        if (Kind == OcclusionKind.Rectangle && (Rectangle.Width < 0 || Rectangle.Height < 0 || Rectangle.X < 0 || Rectangle.Y < 0))
            throw new ArgumentOutOfRangeException(nameof(Rectangle), Rectangle, $"Rectangle must have non-negative x, y, width and height (got {Rectangle}).");
        if (!float.IsFinite(FillValue))
            throw new ArgumentOutOfRangeException(nameof(FillValue), FillValue, "FillValue must be finite.");
    }
}
