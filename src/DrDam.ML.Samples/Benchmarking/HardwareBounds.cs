using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DrDam.ML.Samples.Benchmarking;

/// <summary>
/// The two ceilings of a roofline, measured on the machine that runs <c>bench</c>: the fused multiply-add peak (every
/// core, the widest accelerated vector, independent chains held in registers) and the memory bandwidth (STREAM's
/// triad, and a read-only sweep, over buffers far larger than any cache). docs/ROOFLINE.md explains how the step
/// rates are read against them.
/// </summary>
internal static class HardwareBounds
{
    // 12 independent chains cover a 4-cycle FMA latency on two pipes with room to spare.
    private const int Chains = 12;
    private const int FmaIterations = 1 << 22;

    // Each buffer is 64 M floats (256 MB): far beyond the last-level caches of the hosts measured (32 MB).
    private const int StreamLength = 1 << 26;

    /// <summary>GFLOP/s of fused multiply-adds on every core at once (2 flops per lane per FMA), the best of the timed repetitions.</summary>
    public static double FmaPeakGflops(TimeSpan budget)
    {
        var threads = Environment.ProcessorCount;
        var lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
        var flops = 2.0 * lanes * Chains * FmaIterations * threads;
        var sink = new float[threads];
        var seconds = BestSeconds(() => Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sink[t] = lanes switch
        {
            16 => FmaChains512(FmaIterations),
            8 => FmaChains256(FmaIterations),
            _ => FmaChains128(FmaIterations),
        }), budget);
        if (sink.Any(float.IsNaN))
            throw new InvalidOperationException("The FMA loop produced NaN."); // keeps the results observable
        return flops / seconds / 1e9;
    }

    /// <summary>GB/s of STREAM's triad a = b + s·c over every core (12 bytes counted per element, as STREAM counts them).</summary>
    public static double TriadGbs(TimeSpan budget)
    {
        var (a, b, c) = (new float[StreamLength], new float[StreamLength], new float[StreamLength]);
        var seconds = BestSeconds(() => ForSlices(StreamLength, (from, length) =>
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(c.AsSpan(from, length), 3f, b.AsSpan(from, length), a.AsSpan(from, length))), budget);
        return 3.0 * sizeof(float) * StreamLength / seconds / 1e9;
    }

    /// <summary>GB/s of a read-only sum over one buffer on every core: the bound of a step that streams Ω and writes little.</summary>
    public static double ReadGbs(TimeSpan budget)
    {
        var buffer = new float[StreamLength];
        Array.Fill(buffer, 1f);
        var total = 0f;
        var seconds = BestSeconds(() =>
        {
            var sums = new float[Environment.ProcessorCount];
            ForSlices(StreamLength, (from, length) => sums[from / (StreamLength / sums.Length)] = System.Numerics.Tensors.TensorPrimitives.Sum<float>(buffer.AsSpan(from, length)));
            total = sums.Sum();
        }, budget);
        if (total != StreamLength)
            throw new InvalidOperationException($"The read sweep summed {total}, not {StreamLength}."); // keeps the reads observable
        return (double)sizeof(float) * StreamLength / seconds / 1e9;
    }

    // One contiguous slice per core (the last takes the remainder).
    private static void ForSlices(int length, Action<int, int> slice)
    {
        var threads = Environment.ProcessorCount;
        var size = length / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => slice(t * size, t == threads - 1 ? length - t * size : size));
    }

    // A ceiling is the best repetition, not the median: the machine can do at least that much.
    private static double BestSeconds(Action call, TimeSpan budget)
    {
        call(); // warm-up: the JIT, the thread pool and the buffers' first touch
        var best = double.PositiveInfinity;
        var total = Stopwatch.StartNew();
        for (var runs = 0; runs < 3 || total.Elapsed < budget; runs++)
        {
            var watch = Stopwatch.StartNew();
            call();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains512(int iterations)
    {
        var (x, y) = (Vector512.Create(0.999f), Vector512.Create(1e-7f));
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
            a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
            a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
            a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
            a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains256(int iterations)
    {
        var (x, y) = (Vector256.Create(0.999f), Vector256.Create(1e-7f));
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, x, y); a1 = Vector256.FusedMultiplyAdd(a1, x, y);
            a2 = Vector256.FusedMultiplyAdd(a2, x, y); a3 = Vector256.FusedMultiplyAdd(a3, x, y);
            a4 = Vector256.FusedMultiplyAdd(a4, x, y); a5 = Vector256.FusedMultiplyAdd(a5, x, y);
            a6 = Vector256.FusedMultiplyAdd(a6, x, y); a7 = Vector256.FusedMultiplyAdd(a7, x, y);
            a8 = Vector256.FusedMultiplyAdd(a8, x, y); a9 = Vector256.FusedMultiplyAdd(a9, x, y);
            a10 = Vector256.FusedMultiplyAdd(a10, x, y); a11 = Vector256.FusedMultiplyAdd(a11, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains128(int iterations)
    {
        var (x, y) = (Vector128.Create(0.999f), Vector128.Create(1e-7f));
        Vector128<float> a0 = Vector128.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, x, y); a1 = Vector128.FusedMultiplyAdd(a1, x, y);
            a2 = Vector128.FusedMultiplyAdd(a2, x, y); a3 = Vector128.FusedMultiplyAdd(a3, x, y);
            a4 = Vector128.FusedMultiplyAdd(a4, x, y); a5 = Vector128.FusedMultiplyAdd(a5, x, y);
            a6 = Vector128.FusedMultiplyAdd(a6, x, y); a7 = Vector128.FusedMultiplyAdd(a7, x, y);
            a8 = Vector128.FusedMultiplyAdd(a8, x, y); a9 = Vector128.FusedMultiplyAdd(a9, x, y);
            a10 = Vector128.FusedMultiplyAdd(a10, x, y); a11 = Vector128.FusedMultiplyAdd(a11, x, y);
        }
        return Vector128.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
