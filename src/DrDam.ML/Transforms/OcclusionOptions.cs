using DrDam.ML.Memory;

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
/// column of D values. Each setting is validated when set; the rectangle against the kind when the estimator is created.
/// </summary>
public sealed record OcclusionOptions
{
    private readonly OcclusionKind kind = OcclusionKind.Bottom;
    private readonly double fraction = 0.5;
    private readonly int height, width = 1, channels = 1;
    private readonly (int X, int Y, int Width, int Height) rectangle;
    private readonly float fillValue;

    /// <summary>What to hide. Default <see cref="OcclusionKind.Bottom"/>.</summary>
    public OcclusionKind Kind { get => kind; init => kind = Guard.Defined(value, nameof(Kind)); }

    /// <summary>Fraction of rows or pixels hidden, in [0, 1]. Default 0.5.</summary>
    public double Fraction { get => fraction; init => fraction = Guard.Fraction(value, nameof(Fraction)); }

    /// <summary>Image height (&gt;= 0); 0 reads the vector as one column. Default 0.</summary>
    public int Height { get => height; init => height = Guard.NonNegative(value, nameof(Height)); }

    /// <summary>Image width (&gt; 0). Default 1.</summary>
    public int Width { get => width; init => width = Guard.Positive(value, nameof(Width)); }

    /// <summary>Channels per pixel (&gt; 0). Default 1.</summary>
    public int Channels { get => channels; init => channels = Guard.Positive(value, nameof(Channels)); }

    /// <summary>Whether channels are interleaved per pixel (RGBRGB…) rather than planar. Default false.</summary>
    public bool Interleaved { get; init; }

    /// <summary>(x, y, width, height) of the hidden rectangle, for <see cref="OcclusionKind.Rectangle"/>; every part &gt;= 0.</summary>
    public (int X, int Y, int Width, int Height) Rectangle
    {
        get => rectangle;
        init => rectangle = value.X < 0 || value.Y < 0 || value.Width < 0 || value.Height < 0
            ? throw new ArgumentOutOfRangeException(nameof(Rectangle), value, $"Rectangle must have non-negative x, y, width and height (got {value}).")
            : value;
    }

    /// <summary>Value written into hidden coordinates (finite). Default 0.</summary>
    public float FillValue { get => fillValue; init => fillValue = Guard.Finite(value, nameof(FillValue)); }

    /// <summary>Seed of the random occlusion; row r always hides the same pixels. Default 0.</summary>
    public ulong Seed { get; init; }
}
