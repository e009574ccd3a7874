namespace DrDam.ML.Clustering;

/// <summary>
/// Training's stopping rule (<see cref="ClusteringOptions.Tolerance"/>): every new best epoch loss is kept, but only a
/// gain of more than the tolerance (a fraction of the best) resets the patience, and training stops once
/// <see cref="ClusteringOptions.Patience"/> epochs in a row fail to make one. A tolerance of 0 never stops.
/// </summary>
internal sealed class EarlyStopping(double tolerance)
{
    private int stalled;
    private double best = double.PositiveInfinity;

    /// <summary>Records an epoch's loss; true when it is the best so far (keep this epoch's parameters).</summary>
    public bool Record(double loss)
    {
        stalled = double.IsPositiveInfinity(best) || loss < best - tolerance * Math.Abs(best) ? 0 : stalled + 1;
        if (!(loss < best))
            return false;
        best = loss;
        return true;
    }

    /// <summary>Whether training should stop after the epochs recorded so far.</summary>
    public bool ShouldStop => tolerance > 0 && stalled >= ClusteringOptions.Patience;
}
