namespace DrDam.ML.Memory;

/// <summary>
/// A dense associative memory over D-dimensional states: an energy E(x) whose minima are the stored
/// patterns. Implemented by <see cref="MemoryMatrix"/> (MrDAM) and <see cref="DistributedMemory"/>
/// (DrDAM); evaluated in batches by a compute backend's <see cref="IEnergyEvaluator"/>.
/// </summary>
public interface IAssociativeMemory
{
    /// <summary>D, the length of patterns and states.</summary>
    int Dimension { get; }

    /// <summary>K, the number of stored patterns.</summary>
    long Count { get; }

    /// <summary>β, the inverse temperature.</summary>
    double Beta { get; }

    /// <summary>Grows by one on every change, so evaluators built on an older content can refuse to run.</summary>
    long Version { get; }
}
