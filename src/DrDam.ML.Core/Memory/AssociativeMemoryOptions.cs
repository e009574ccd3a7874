namespace DrDam.ML.Memory;

/// <summary>
/// What every memory is configured with: β, the inverse temperature of its energy. The options of each
/// representation (<see cref="MemoryMatrixOptions"/>, <see cref="DistributedMemoryOptions"/>) derive from it.
/// </summary>
public abstract record AssociativeMemoryOptions
{
    /// <summary>β when none is given to a memory built directly (30); a pipeline store chooses it from the data instead.</summary>
    public const double DefaultBeta = 30;

    private readonly double beta = DefaultBeta;

    /// <summary>
    /// β, the inverse temperature (&gt; 0, at most <see cref="MemoryLimits.MaxBeta"/>): larger β makes each stored
    /// pattern a sharper, separate minimum. Default <see cref="DefaultBeta"/>; see <see cref="IsBetaSet"/> and
    /// <see cref="Dynamics.AutomaticBeta"/>.
    /// </summary>
    public double Beta
    {
        get => beta;
        init
        {
            beta = Guard.Positive(value, nameof(Beta)) <= MemoryLimits.MaxBeta ? value
                : throw new ArgumentOutOfRangeException(nameof(Beta), value, $"Beta must be at most {MemoryLimits.MaxBeta:G} (got {value:G}): larger values overflow single precision.");
            IsBetaSet = true;
        }
    }

    /// <summary>
    /// Whether <see cref="Beta"/> was given. When it was not, the ML.NET <c>Store</c> estimator picks β from
    /// the data at fit time (<see cref="Dynamics.AutomaticBeta"/>); a memory built directly uses <see cref="DefaultBeta"/>.
    /// </summary>
    public bool IsBetaSet { get; private init; }

    /// <summary>Equal when of the same kind with the same β (how β came to be set does not matter).</summary>
    public virtual bool Equals(AssociativeMemoryOptions? other)
        => other is not null && EqualityContract == other.EqualityContract && beta.Equals(other.beta);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(EqualityContract, beta);
}
