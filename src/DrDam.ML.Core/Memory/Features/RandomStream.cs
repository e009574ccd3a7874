namespace DrDam.ML.Memory.Features;

/// <summary>
/// Independent random streams drawn from one seed; each has its own Philox counter space. The named
/// streams define Ω; any other value (below 256) is free for a caller's own seeded randomness.
/// </summary>
public enum RandomStream : uint
{
    /// <summary>The Gaussian projection directions ω_α.</summary>
    Projection = 0,
    /// <summary>The uniform phases b_α of the <c>Cos</c> basis.</summary>
    Offset = 1,
    /// <summary>The chi-distributed row norms of orthogonal random features.</summary>
    OrthogonalNorm = 2,
}
