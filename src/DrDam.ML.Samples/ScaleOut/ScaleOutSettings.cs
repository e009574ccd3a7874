namespace DrDam.ML.Samples.ScaleOut;

/// <summary>What <c>scale-out</c> runs: the cluster's size, the data and the memory. Out-of-range values are refused, naming the option.</summary>
/// <param name="Silos">Silo processes (≥ 1).</param>
/// <param name="Rows">Training images to store, at most (the full set when null).</param>
/// <param name="Partitions">Partitions of the fit (≥ 1; several per silo balance the load).</param>
/// <param name="FeatureCount">Y.</param>
/// <param name="Queries">Occluded test images retrieved (≥ 1).</param>
/// <param name="Seed">τ, Ω's seed.</param>
/// <param name="KillOne">Kill a silo process halfway through the fit (needs 2 silos or more).</param>
internal sealed record ScaleOutSettings(int Silos, int? Rows, int Partitions, int FeatureCount, int Queries, ulong Seed, bool KillOne)
{
    public int Silos { get; } = Positive(Silos, "--silos");

    public int? Rows { get; } = Rows is { } rows ? Positive(rows, "--rows") : null;

    public int Partitions { get; } = Positive(Partitions, "--partitions");

    public int FeatureCount { get; } = Positive(FeatureCount, "--features");

    public int Queries { get; } = Positive(Queries, "--queries");

    public bool KillOne { get; } = !KillOne || Silos >= 2 ? KillOne
        : throw new ArgumentException($"--kill-one needs at least 2 silos, so that one is left to finish the fit (got --silos {Silos}).");

    private static int Positive(int value, string option)
        => value > 0 ? value : throw new ArgumentException($"{option} must be a positive integer (got {value}).");
}
