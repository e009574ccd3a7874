namespace DrDam.ML.Memory.Parallelism;

/// <summary>
/// A parallel loop over [0, count) in one contiguous chunk per core, built once with its body so
/// that running it allocates nothing. Not reentrant: one per evaluator.
/// </summary>
internal sealed class ChunkedLoop(Action<int, int> body) : IParallelWork
{
    private int count, chunks;

    public void Run(int itemCount)
    {
        count = itemCount;
        chunks = Math.Min(WorkerPool.Parallelism, itemCount);
        if (chunks <= 1)
            body(0, itemCount);
        else
            WorkerPool.For(chunks, this);
    }

    public void Execute(int index) => body(index * count / chunks, (index + 1) * count / chunks);
}
