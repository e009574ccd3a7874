namespace DrDam.ML.Memory.Features;

/// <summary>Where Ω lives during fits and descent steps (docs/MATH.md §3, Algorithm 1).</summary>
public enum ProjectionStorage
{
    /// <summary>
    /// Ω is generated once and kept: Y×D floats (4·Y·D bytes, e.g. 245 MB for Y = 20000, D = 3072).
    /// Fastest: a step is two matrix products with no random number generation.
    /// </summary>
    Cached = 0,

    /// <summary>
    /// Ω is regenerated from the seed block by block whenever it is needed: extra memory is one
    /// block (ProjectionBlockSize×D floats) per worker, no Y×D array is ever held, and a fit over a
    /// stream of patterns needs O(Y + D). Each step pays Y·D Gaussian draws on top of the products.
    /// </summary>
    OnDemand = 1,

    /// <summary>
    /// Ω is generated once and kept rounded to bfloat16: 2·Y·D bytes, half of <see cref="Cached"/>, and half the bytes a
    /// step reads, which is what bounds a step on a few queries. The fit and every step use the same rounded Ω, so the
    /// features stay one consistent random map; the rounding (a relative error of at most 2⁻⁹ per entry) is measured
    /// against fp32 Ω in docs/ROOFLINE.md.
    /// </summary>
    CachedBFloat16 = 2,
}
