using TorchSharp;

namespace DrDam.ML.Clustering;

/// <summary>
/// libtorch's intra-op thread count for the length of a training run, restored afterwards (it is process-wide).
/// libtorch's default, one thread per core, spins and oversubscribes as soon as anything else runs beside it: a small
/// fit took 26–50 s on a busy host against 2.5 s with one thread.
/// </summary>
internal sealed class TorchThreads : IDisposable
{
    private readonly int previous;

    private TorchThreads(int threads)
    {
        previous = torch.get_num_threads();
        torch.set_num_threads(threads);
    }

    /// <summary>Sets <paramref name="threads"/> or, when null, <see cref="Default"/> for this much work.</summary>
    public static TorchThreads Use(int? threads, long rows, int dimension, int clusters) => new(threads ?? Default(rows, dimension, clusters));

    /// <summary>
    /// One thread unless a contraction step over all rows is large enough to share (rows·d·k ≥ 2²⁴, about a
    /// Fashion-MNIST 2k × 784 × 10), then one per core, never more than the machine has.
    /// </summary>
    public static int Default(long rows, int dimension, int clusters)
        => rows * dimension * clusters >= 1L << 24 ? Environment.ProcessorCount : 1;

    public void Dispose() => torch.set_num_threads(previous);
}
