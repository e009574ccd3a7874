using System.Runtime.ExceptionServices;

namespace DrDam.ML.Memory.Parallelism;

/// <summary>Work split into independent items 0..count−1, run by <see cref="WorkerPool.For"/>.</summary>
internal interface IParallelWork
{
    void Execute(int index);
}

/// <summary>
/// A fork–join pool with one dedicated thread per extra core, so that a descent step's parallel
/// loops allocate nothing (Parallel.For allocates on every call). The caller takes part in the
/// work; items are claimed with an atomic counter. One loop runs at a time: a loop started while
/// another runs (from another thread, or nested inside an item) executes inline on its caller,
/// which is always correct.
/// </summary>
internal static class WorkerPool
{
    private static readonly Lock Gate = new();
    private static readonly ManualResetEventSlim[] Start;
    private static readonly CountdownEvent Finished = new(1);
    private static IParallelWork? current;
    private static int next, total;
    private static ExceptionDispatchInfo? failure;

    static WorkerPool()
    {
        Start = new ManualResetEventSlim[Math.Max(0, Environment.ProcessorCount - 1)];
        for (var i = 0; i < Start.Length; i++)
        {
            var signal = Start[i] = new ManualResetEventSlim(false, spinCount: 200);
            new Thread(() => Work(signal)) { IsBackground = true, Name = $"DrDam.ML worker {i + 1}" }.Start();
        }
    }

    /// <summary>Number of threads that take part in a loop, the caller included.</summary>
    public static int Parallelism => Start.Length + 1;

    /// <summary>Runs work.Execute(i) for every i in [0, count), spread over the cores; returns when all are done.</summary>
    public static void For(int count, IParallelWork work)
    {
        if (count <= 1 || Start.Length == 0 || Gate.IsHeldByCurrentThread || !Gate.TryEnter())
        {
            for (var i = 0; i < count; i++)
                work.Execute(i);
            return;
        }
        try
        {
            current = work;
            total = count;
            next = 0;
            failure = null;
            var helpers = Math.Min(Start.Length, count - 1);
            Finished.Reset(helpers);
            for (var h = 0; h < helpers; h++)
                Start[h].Set();
            Drain();
            Finished.Wait();
            current = null;
            failure?.Throw();
        }
        finally
        {
            Gate.Exit();
        }
    }

    private static void Work(ManualResetEventSlim signal)
    {
        while (true)
        {
            signal.Wait();
            signal.Reset();
            Drain();
            Finished.Signal();
        }
    }

    private static void Drain()
    {
        var work = current!;
        int i;
        while ((i = Interlocked.Increment(ref next) - 1) < total)
        {
            try
            {
                work.Execute(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                Interlocked.Exchange(ref next, total); // stop handing out items
            }
        }
    }
}
